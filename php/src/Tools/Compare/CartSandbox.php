<?php
/**
 * Puts one shopper's cart into WooCommerce for a while, and takes it out again.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools\Compare;

defined( 'ABSPATH' ) || exit;

/**
 * enter(): WC()->session becomes a ReadOnlySession on a copy of the shopper's row, the current user the shopper
 * (the user id a logged-in shopper's key is, else a guest), WC()->customer that session's customer and WC()->cart
 * a new cart. Every hook callback bound to the request's own cart, its WC_Cart_Session, or the new cart's
 * WC_Cart_Session is detached meanwhile: those are the callbacks that copy a cart into WC()->session
 * (`set_session`), into the user's persistent cart (`persistent_cart_update`, user meta) or into cookies — on
 * WooCommerce 3.9 every new WC_Cart registers them, and on every version the request's own cart is hooked.
 * leave() puts everything back as it was. Loaded only when WooCommerce is.
 */
final class CartSandbox {

	/** Session key. */
	private string $key;

	/**
	 * The row's data.
	 *
	 * @var array<string, mixed>
	 */
	private array $data;

	/** The row's expiry. */
	private int $expiry;

	/** The shopper's user id (0: guest). */
	private int $user_id;

	/**
	 * What enter() replaced: session, cart, customer, user id.
	 *
	 * @var array<string, mixed>|null
	 */
	private ?array $saved = null;

	/**
	 * Detached callbacks of the request's own objects, re-attached by leave(): [hook, callback, priority, args].
	 *
	 * @var list<array{0: string, 1: callable, 2: int, 3: int}>
	 */
	private array $detached = array();

	/** The session put in. */
	public ?ReadOnlySession $session = null;

	/**
	 * Constructor.
	 *
	 * @param string               $key     Session key.
	 * @param array<string, mixed> $data    The row's data (session_value unserialized once).
	 * @param int                  $expiry  The row's expiry.
	 * @param int                  $user_id The shopper's user id (0: guest).
	 */
	public function __construct( string $key, array $data, int $expiry, int $user_id ) {
		$this->key     = $key;
		$this->data    = $data;
		$this->expiry  = $expiry;
		$this->user_id = $user_id;
	}

	/**
	 * Puts the shopper's session, user, customer and a new cart in place.
	 */
	public function enter(): void {
		if ( null !== $this->saved ) {
			return;
		}
		$wc          = WC();
		$this->saved = array(
			'session'  => $wc->session,
			'cart'     => $wc->cart,
			'customer' => $wc->customer,
			'user'     => get_current_user_id(),
		);
		// What wc_load_cart() makes sure of in every context.
		if ( defined( 'WC_ABSPATH' ) ) {
			include_once WC_ABSPATH . 'includes/wc-cart-functions.php';
			include_once WC_ABSPATH . 'includes/wc-notice-functions.php';
		}
		$targets = array();
		if ( is_object( $wc->cart ) ) {
			$targets[] = $wc->cart;
			$session   = self::cart_session( $wc->cart );
			if ( null !== $session ) {
				$targets[] = $session;
			}
		}
		$this->detach( $targets, true );

		wp_set_current_user( $this->user_id );
		$this->session = new ReadOnlySession( $this->key, $this->data, $this->expiry );
		$wc->session   = $this->session;
		$wc->customer  = new \WC_Customer( $this->user_id, true );
		$wc->cart      = new \WC_Cart();
		$session       = self::cart_session( $wc->cart );
		if ( null !== $session ) {
			$this->detach( array( $session ), false );
		}
	}

	/**
	 * A cart's WC_Cart_Session (the protected WC_Cart::$session, 3.2 … 10.x).
	 *
	 * @param object $cart WC_Cart.
	 * @return object|null
	 */
	public static function cart_session( $cart ) {
		if ( ! $cart instanceof \WC_Cart || ! property_exists( \WC_Cart::class, 'session' ) ) {
			return null;
		}
		$property = new \ReflectionProperty( \WC_Cart::class, 'session' );
		$property->setAccessible( true );
		$session = $property->getValue( $cart );
		return is_object( $session ) ? $session : null;
	}

	/**
	 * Puts back what enter() replaced and re-attaches the detached callbacks. Safe to call twice.
	 */
	public function leave(): void {
		if ( null === $this->saved ) {
			return;
		}
		$wc           = WC();
		$wc->session  = $this->saved['session'];
		$wc->cart     = $this->saved['cart'];
		$wc->customer = $this->saved['customer'];
		wp_set_current_user( (int) $this->saved['user'] );
		$this->saved = null;
		foreach ( $this->detached as $entry ) {
			add_filter( $entry[0], $entry[1], $entry[2], $entry[3] );
		}
		$this->detached = array();
	}

	/**
	 * Detaches every hook callback bound to one of the objects.
	 *
	 * @param list<object> $objects Objects.
	 * @param bool         $restore Re-attach them on leave() (the request's own objects; the sandbox's are dropped).
	 */
	private function detach( array $objects, bool $restore ): void {
		global $wp_filter;
		if ( array() === $objects || ! is_array( $wp_filter ) ) {
			return;
		}
		foreach ( $wp_filter as $hook => $wp_hook ) {
			$callbacks = is_object( $wp_hook ) && isset( $wp_hook->callbacks ) ? $wp_hook->callbacks : ( is_array( $wp_hook ) ? $wp_hook : array() );
			foreach ( $callbacks as $priority => $entries ) {
				foreach ( (array) $entries as $entry ) {
					$function = $entry['function'] ?? null;
					if ( ! is_array( $function ) || ! is_object( $function[0] ?? null ) ) {
						continue;
					}
					foreach ( $objects as $object ) {
						if ( $function[0] === $object ) {
							remove_filter( (string) $hook, $function, (int) $priority );
							if ( $restore ) {
								$this->detached[] = array( (string) $hook, $function, (int) $priority, (int) ( $entry['accepted_args'] ?? 1 ) );
							}
							break;
						}
					}
				}
			}
		}
	}
}
