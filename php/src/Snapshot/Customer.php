<?php
/**
 * The snapshot's `customer` section: the session's user and the accounts of the billing email.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Snapshot;

defined( 'ABSPATH' ) || exit;

/**
 * Reads, in query 5 (CustomerRepository::find()): the user the session key names (WC_Session_Handler keys a
 * logged-in shopper's session by user id; never Klarna's merchant_data), whether an account has Klarna's billing
 * email (email_exists(): users.user_email), and, only for per-user-limited coupons, the accounts those coupons list
 * as users whose `billing_email` user meta is that email (WC_Discounts / WC_Cart::check_customer_coupons()).
 * A session for a user that no longer exists is a guest. One query (the email rides along for a logged-in
 * shopper) — none for a guest when the email cannot matter: the checkout lets guests buy, the order has no subscription and no coupon limits uses per user
 * (`email_exists` is then false without being asked: the extension reads it only in those cases, src/checks/account.rs).
 */
final class Customer {

	/** Users. */
	private CustomerRepository $customers;

	/**
	 * Constructor.
	 *
	 * @param CustomerRepository $customers Users.
	 */
	public function __construct( CustomerRepository $customers ) {
		$this->customers = $customers;
	}

	/**
	 * The `customer` section. Query 5.
	 *
	 * @param string|null                         $email   Klarna's billing email.
	 * @param SessionData                         $session The restored session.
	 * @param array<string, array<string, mixed>> $coupons The `coupons` map (per-user limits).
	 * @param bool                                $account Whether an account for the email can matter (the checkout
	 *                                                     requires registration, or the order has a subscription).
	 * @return array{logged_in: bool, user_id: int, email_exists: bool, user_ids_for_email: list<int>, account_email: string|null}
	 */
	public function build( ?string $email, SessionData $session, array $coupons, bool $account = true ): array {
		// Accounts by billing_email matter only for per-user coupon limits, and only those the coupon lists as users
		// (CustomerRepository).
		$user_id  = $session->usable() ? $session->user_id() : 0;
		$used_by  = Coupons::per_user_used_by( $coupons );
		$customer = $this->customers->find( $account || $user_id > 0 || array() !== $used_by ? $email : null, $user_id, $used_by );
		$logged   = $user_id > 0 && $customer['user_exists'];
		return array(
			'logged_in'          => $logged,
			'user_id'            => $logged ? $user_id : 0,
			'email_exists'       => $customer['email_exists'],
			'user_ids_for_email' => $customer['user_ids_for_email'],
			'account_email'      => $logged ? $customer['account_email'] : null,
		);
	}
}
