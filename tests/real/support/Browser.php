<?php
/**
 * A shopper's browser against the real shop: cookies, WooCommerce's own AJAX endpoints, the login form.
 *
 * @package KcoValidation\Plugin\Tests\Real
 */

namespace KcoValidation\Plugin\Tests\Real;

use KcoValidation\Plugin\Tests\E2E\Http;
use KcoValidation\Plugin\Tests\E2E\HttpResponse;

final class Browser {

	/** @var string http://127.0.0.1:PORT */
	private $base;

	/** @var array<string, string> Cookies by name. */
	public $cookies = array();

	public function __construct( string $base ) {
		$this->base = rtrim( $base, '/' );
	}

	/** One request with this browser's cookies; keeps the cookies the answer sets (or deletes). */
	public function request( string $method, string $path, ?array $form = null, array $headers = array() ): HttpResponse {
		$url = str_starts_with( $path, 'http' ) ? $path : $this->base . $path;
		if ( array() !== $this->cookies ) {
			$headers['Cookie'] = implode( '; ', array_map( static fn ( $k, $v ) => $k . '=' . $v, array_keys( $this->cookies ), $this->cookies ) );
		}
		$body = null;
		if ( null !== $form ) {
			$body                    = http_build_query( $form );
			$headers['Content-Type'] = 'application/x-www-form-urlencoded';
		}
		$response = Http::request( $method, $url, $body, $headers );
		foreach ( $response->header_lines as $line ) {
			if ( 1 !== preg_match( '/^Set-Cookie:\s*([^=;\s]+)=([^;]*)(.*)$/i', $line, $m ) ) {
				continue;
			}
			$deleted = '' === $m[2] || 'deleted' === $m[2] || 1 === preg_match( '/expires=[^;]*(19[0-9]{2}|200[0-9])/i', $m[3] ) || 1 === preg_match( '/max-age=0\b/i', $m[3] );
			if ( $deleted ) {
				unset( $this->cookies[ $m[1] ] );
			} else {
				$this->cookies[ $m[1] ] = $m[2];
			}
		}
		return $response;
	}

	/** JSON of a request, or a failure naming the answer. */
	public function json( string $method, string $path, ?array $form = null ): array {
		$r    = $this->request( $method, $path, $form );
		$data = json_decode( $r->body, true );
		if ( ! is_array( $data ) ) {
			throw new \RuntimeException( "{$method} {$path}: not JSON:\n" . $r->describe() );
		}
		return $data;
	}

	/** ?wc-ajax=add_to_cart, as the shop's "Add to cart" buttons post it. */
	public function add_to_cart( int $product_id, int $quantity = 1, array $extra = array() ): void {
		$data = $this->json( 'POST', '/?wc-ajax=add_to_cart', array( 'product_id' => $product_id, 'quantity' => $quantity ) + $extra );
		if ( ! empty( $data['error'] ) ) {
			throw new \RuntimeException( "add_to_cart {$product_id} × {$quantity} refused: " . json_encode( $data ) );
		}
	}

	/** What the shop tells this browser: its session key and the page nonces (tests/real/mu-plugin). */
	public function state(): array {
		return $this->json( 'GET', '/?kco-real=state' );
	}

	/** ?wc-ajax=apply_coupon, as the cart page posts it. */
	public function apply_coupon( string $code ): string {
		$r = $this->request( 'POST', '/?wc-ajax=apply_coupon', array( 'security' => $this->state()['nonces']['apply_coupon'], 'coupon_code' => $code ) );
		return $r->body;
	}

	/**
	 * ?wc-ajax=update_order_review, as the checkout page posts it when the shopper types an address or picks a rate
	 * (KCO's checkout does the same with Klarna's address): the customer's address, the chosen rate, the totals.
	 */
	public function checkout( string $country = 'SE', string $postcode = '11134', ?string $rate = null ): array {
		$form = array(
			'security'       => $this->state()['nonces']['update_order_review'],
			'country'        => $country,
			'postcode'       => $postcode,
			'city'           => 'Stockholm',
			'address'        => 'Sveavägen 44',
			's_country'      => $country,
			's_postcode'     => $postcode,
			's_city'         => 'Stockholm',
			's_address'      => 'Sveavägen 44',
			'has_full_address' => 'true',
			'payment_method' => '',
		);
		if ( null !== $rate ) {
			$form['shipping_method'] = array( $rate );
		}
		return $this->json( 'POST', '/?wc-ajax=update_order_review', $form );
	}

	/**
	 * The Klarna order KCO would create for this cart (tests/real/mu-plugin), with test options. Each scenario is a
	 * purchase of its own: a new Klarna order id (KCO keeps one per session; `new_order` => 0 keeps it).
	 */
	public function klarna_order( array $args = array() ): array {
		return $this->json( 'GET', '/?kco-real=order&' . http_build_query( $args + array( 'email' => 'sofia.lindqvist@example.se', 'new_order' => 1 ) ) );
	}

	/** Logs in through wp-login.php, as a shopper does. */
	public function login( string $user, string $password ): void {
		$this->request( 'GET', '/wp-login.php' );
		$this->cookies['wordpress_test_cookie'] = 'WP%20Cookie%20check';
		$r = $this->request( 'POST', '/wp-login.php', array( 'log' => $user, 'pwd' => $password, 'testcookie' => '1', 'redirect_to' => $this->base . '/' ) );
		if ( 302 !== $r->status ) {
			throw new \RuntimeException( "login as {$user} failed:\n" . $r->describe() );
		}
	}
}
