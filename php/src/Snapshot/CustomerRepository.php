<?php
/**
 * Accounts for the billing email and the logged-in user, in one query.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Snapshot;

defined( 'ABSPATH' ) || exit;

/**
 * Reads users by user_email (as email_exists(): the unique-enough user_email index) plus the logged-in user's own
 * row and, only when it can matter, the users whose billing_email user meta is the billing email or the logged-in
 * account's email (WC_Customer_Data_Store::get_user_ids_for_billing_email(), which WooCommerce's checkout uses for the
 * shopper's coupon aliases), in one UNION query. An account found by its user_email is not an alias.
 *
 * The billing_email branch serves one check only: counting a coupon's per-user uses, whose `_used_by` entries are
 * emails and user ids. usermeta.meta_value has no index, so matching it against every user's billing_email scans the
 * whole table (651 ms with 200 000 customers). The branch therefore runs only for the user ids a per-user-limited
 * coupon lists as users, through the user_id index; its answer for the check is the same. wc_customer_lookup is not
 * used: it keeps a registered customer's account email, not the billing email this branch is about.
 */
class CustomerRepository {

	/**
	 * The database.
	 *
	 * @var \wpdb
	 */
	private $wpdb;

	/**
	 * Constructor.
	 *
	 * @param \wpdb $wpdb WordPress database.
	 */
	public function __construct( $wpdb ) {
		$this->wpdb = $wpdb;
	}

	/**
	 * Facts about the email and the user.
	 *
	 * @param string|null    $email       Billing email from Klarna.
	 * @param int            $user_id     User id the session names (0: guest).
	 * @param array<mixed>   $billing_ids User ids whose billing_email is compared with the email (the numeric
	 *                                    `_used_by` entries of per-user-limited coupons); none: no billing lookup.
	 * @return array{email_exists: bool, user_ids_for_email: list<int>, user_exists: bool, account_email: string|null}
	 * @throws \RuntimeException On a database error.
	 */
	public function find( ?string $email, int $user_id, array $billing_ids = array() ): array {
		$result = array(
			'email_exists'       => false,
			'user_ids_for_email' => array(),
			'user_exists'        => false,
			'account_email'      => null,
		);
		$email  = null === $email ? '' : trim( $email );
		if ( '' === $email && $user_id <= 0 ) {
			return $result;
		}
		$wpdb = $this->wpdb;
		// Index lookups (user_email, primary key) rather than an OR, which MariaDB may answer with a scan.
		$parts = array();
		$args  = array();
		if ( '' !== $email ) {
			$parts[] = "SELECT u.ID AS id, u.user_email AS email, 'user' AS src FROM {$wpdb->users} u WHERE u.user_email = %s";
			$args[]  = $email;
		}
		if ( $user_id > 0 ) {
			$parts[] = "SELECT u.ID AS id, u.user_email AS email, 'user' AS src FROM {$wpdb->users} u WHERE u.ID = %d";
			$args[]  = $user_id;
		}
		$sql = implode( ' UNION ALL ', $parts );
		$ids = self::ids( $billing_ids );
		if ( array() !== $ids ) {
			// get_user_ids_for_billing_email(): users whose billing email is the order's billing email or the
			// logged-in account's email — only among the ids the coupons' uses name (nobody else can count).
			$emails = array();
			if ( '' !== $email ) {
				$emails[] = $email;
			}
			$account = $user_id > 0 ? "SELECT a.user_email FROM {$wpdb->users} a WHERE a.ID = %d" : null;
			$sql    .= " UNION ALL SELECT um.user_id AS id, NULL AS email, 'billing' AS src FROM {$wpdb->usermeta} um"
				. ' WHERE um.user_id IN (' . implode( ',', array_fill( 0, count( $ids ), '%d' ) ) . ")"
				. " AND um.meta_key = 'billing_email' AND ( um.meta_value IN (" . ( array() === $emails ? "''" : '%s' ) . ')'
				. ( null === $account ? '' : " OR um.meta_value = ( {$account} )" ) . ' )';
			$args    = array_merge( $args, $ids, $emails, null === $account ? array() : array( $user_id ) );
		}
		$rows = $wpdb->get_results( $wpdb->prepare( $sql, $args ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- placeholders only.
		if ( '' !== (string) $wpdb->last_error ) {
			throw new \RuntimeException( 'database error reading users: ' . $wpdb->last_error );
		}
		$ids   = array();
		$lower = mb_strtolower( $email, 'UTF-8' );
		foreach ( (array) $rows as $row ) {
			$id = (int) $row['id'];
			if ( 'user' === $row['src'] ) {
				if ( $user_id > 0 && $id === $user_id ) {
					$result['user_exists']   = true;
					$result['account_email'] = (string) $row['email'];
				}
				if ( '' !== $email && mb_strtolower( (string) $row['email'], 'UTF-8' ) === $lower ) {
					$result['email_exists'] = true;
				}
			} else {
				$ids[] = $id;
			}
		}
		$ids = array_values( array_unique( $ids ) );
		sort( $ids );
		$result['user_ids_for_email'] = $ids;
		return $result;
	}

	/**
	 * Positive user ids among the values (`_used_by` entries that are digits), distinct.
	 *
	 * @param array<mixed> $values Values.
	 * @return list<int>
	 */
	private static function ids( array $values ): array {
		$ids = array();
		foreach ( $values as $value ) {
			if ( is_int( $value ) || ( is_string( $value ) && ctype_digit( trim( $value ) ) && strlen( trim( $value ) ) < 19 ) ) {
				$id = (int) ( is_string( $value ) ? trim( $value ) : $value );
				if ( $id > 0 ) {
					$ids[ $id ] = $id;
				}
			}
		}
		return array_values( $ids );
	}
}
