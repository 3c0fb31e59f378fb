<?php
/**
 * Accounts for the billing email and the logged-in user, in one query.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin;

defined( 'ABSPATH' ) || exit;

/**
 * Reads users by user_email (as email_exists()/get_user_by( 'email' )) and by billing_email user meta (as the
 * reference's WP_User_Query), plus the logged-in user's own row, in one UNION query.
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
	 * @param string|null $email   Billing email from Klarna.
	 * @param int         $user_id User id the session names (0: guest).
	 * @return array{email_exists: bool, user_ids_for_email: list<int>, user_exists: bool, account_email: string|null}
	 * @throws \RuntimeException On a database error.
	 */
	public function find( ?string $email, int $user_id ): array {
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
		$sql  = "SELECT u.ID AS id, u.user_email AS email, 'user' AS src FROM {$wpdb->users} u WHERE u.user_email = %s OR u.ID = %d"
			. " UNION ALL SELECT um.user_id AS id, NULL AS email, 'billing' AS src FROM {$wpdb->usermeta} um"
			. " WHERE um.meta_key = 'billing_email' AND um.meta_value = %s";
		$rows = $wpdb->get_results( $wpdb->prepare( $sql, $email, $user_id, $email ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- placeholders only.
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
					$ids[]                  = $id;
				}
			} elseif ( '' !== $email ) {
				$ids[] = $id;
			}
		}
		$ids = array_values( array_unique( $ids ) );
		sort( $ids );
		$result['user_ids_for_email'] = $ids;
		return $result;
	}
}
