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
	 * The accounts read ahead for this request (Request\FirstRead): for which email and user, and the rows. Used
	 * once, and only when no coupon's per-user uses need the billing_email branch.
	 *
	 * @var array{email: string, user_id: int, rows: list<array{id: int, email: string}>}|null
	 */
	private static ?array $prefetched = null;

	/**
	 * Hands in the accounts of an email and of a user id, read ahead with the callback's first query.
	 *
	 * @param string                              $email   Billing email ('' : none), trimmed.
	 * @param int                                 $user_id The session's user (0: guest).
	 * @param list<array{id: int, email: string}> $rows    The users found by that email or id.
	 */
	public static function prefetched( string $email, int $user_id, array $rows ): void {
		self::$prefetched = array(
			'email'   => $email,
			'user_id' => $user_id,
			'rows'    => $rows,
		);
	}

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
		$ids = self::ids( $billing_ids );
		if ( array() === $ids && null !== self::$prefetched && self::$prefetched['email'] === $email && self::$prefetched['user_id'] === $user_id ) {
			$rows             = self::$prefetched['rows'];
			self::$prefetched = null;
			return self::result( $rows, $email, $user_id );
		}
		$wpdb = $this->wpdb;
		list( $parts, $args ) = self::account_lookups( $wpdb, $email, $user_id, "'user'" );
		$sql                  = implode( ' UNION ALL ', $parts );
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
		return self::result( (array) $rows, $email, $user_id );
	}

	/**
	 * The account lookups by email and by user id, as SELECTs of (id, email, src) for a UNION ALL: index lookups
	 * (user_email, primary key) rather than an OR, which MariaDB may answer with a scan. Also Request\FirstRead's
	 * (binary columns there: its UNION mixes tables).
	 *
	 * @param object $wpdb    Database.
	 * @param string $email   Billing email ('' : none).
	 * @param int    $user_id User id (0: none).
	 * @param string $src     The SQL of the third column.
	 * @param bool   $binary  Cast id and email to binary strings.
	 * @return array{0: list<string>, 1: list<string|int>} The SELECTs and their arguments.
	 */
	public static function account_lookups( $wpdb, string $email, int $user_id, string $src, bool $binary = false ): array {
		$columns = $binary ? "{$src} AS t, CAST( u.ID AS BINARY ) AS k, CAST( u.user_email AS BINARY ) AS v" : "u.ID AS id, u.user_email AS email, {$src} AS src";
		$parts   = array();
		$args    = array();
		if ( '' !== $email ) {
			$parts[] = "SELECT {$columns} FROM {$wpdb->users} u WHERE u.user_email = %s";
			$args[]  = $email;
		}
		if ( $user_id > 0 ) {
			$parts[] = "SELECT {$columns} FROM {$wpdb->users} u WHERE u.ID = %d";
			$args[]  = $user_id;
		}
		return array( $parts, $args );
	}

	/**
	 * The answer from the rows found (`id`, `email`, `src` 'user' or 'billing').
	 *
	 * @param array<int, array<string, mixed>> $rows    Rows.
	 * @param string                           $email   Billing email ('' : none).
	 * @param int                              $user_id The session's user (0: guest).
	 * @return array{email_exists: bool, user_ids_for_email: list<int>, user_exists: bool, account_email: string|null}
	 */
	private static function result( array $rows, string $email, int $user_id ): array {
		$result = array(
			'email_exists'       => false,
			'user_ids_for_email' => array(),
			'user_exists'        => false,
			'account_email'      => null,
		);
		$ids   = array();
		$lower = mb_strtolower( $email, 'UTF-8' );
		foreach ( $rows as $row ) {
			$id = (int) $row['id'];
			if ( 'user' === ( $row['src'] ?? 'user' ) ) {
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
