<?php
/**
 * The one guest cart of scripts/bench-real.sh, made over HTTP as a shopper's browser makes it (tests/real/support/
 * Browser.php), and the Klarna callback built from it:
 *   php cart.php make DIR PRODUCT_ID RATE
 *       ?wc-ajax=add_to_cart (2 × the product), ?wc-ajax=update_order_review (a Swedish address, the rate), then the
 *       Klarna order KCO would create for that cart (tests/real/mu-plugin/kco-real-test.php: KCO-shaped, the
 *       validation URL with kco-validation's token in merchant_urls.validation). Writes DIR/body.json (the Klarna
 *       order as Klarna POSTs it), DIR/cookies.json (the browser), DIR/session_key and DIR/url (the validation URL of
 *       merchant_urls, {checkout.order.id} filled in);
 *   php cart.php kco-url DIR
 *       the validation URL KCO itself builds for this browser (Klarna_Checkout_For_WooCommerce_Merchant_URLs, asked
 *       through the bench mu-plugin's ?kco-bench=urls with the browser's cookie), {checkout.order.id} filled in,
 *       https:// turned back into http:// (KCO forces https; the loopback shop has no TLS). Writes DIR/url.
 * Env: E2E_URL (http://127.0.0.1:PORT).
 *
 * @package KcoValidation\Plugin\Tests\Real
 */

namespace KcoValidation\Plugin\Tests\Real;

require dirname( __DIR__, 2 ) . '/e2e/support/Http.php';
require dirname( __DIR__ ) . '/support/Browser.php';

$kco_what = $argv[1] ?? '';
$kco_dir  = $argv[2] ?? '';
$kco_base = (string) getenv( 'E2E_URL' );
if ( '' === $kco_base || '' === $kco_dir || ! is_dir( $kco_dir ) || ! in_array( $kco_what, array( 'make', 'kco-url' ), true ) ) {
	fwrite( STDERR, "usage: E2E_URL=… php cart.php make DIR PRODUCT_ID RATE | kco-url DIR\n" );
	exit( 2 );
}

$browser = new Browser( $kco_base );
if ( 'kco-url' === $kco_what ) {
	$browser->cookies = json_decode( (string) file_get_contents( $kco_dir . '/cookies.json' ), true );
	$order            = json_decode( (string) file_get_contents( $kco_dir . '/body.json' ), true );
	$urls             = $browser->json( 'GET', '/?kco-bench=urls' );
	if ( empty( $urls['validation'] ) ) {
		fwrite( STDERR, 'cart: KCO built no validation URL: ' . json_encode( $urls ) . "\n" );
		exit( 1 );
	}
	$url = str_replace( array( '{checkout.order.id}', 'https://' ), array( $order['order_id'], 'http://' ), (string) $urls['validation'] );
	file_put_contents( $kco_dir . '/url', $url . "\n" );
	echo $url . "\n";
	exit( 0 );
}

$browser->add_to_cart( (int) ( $argv[3] ?? 0 ), 2 );
$review = $browser->checkout( 'SE', '11134', (string) ( $argv[4] ?? '' ) );
if ( ( $review['result'] ?? '' ) !== 'success' ) {
	fwrite( STDERR, 'cart: update_order_review: ' . json_encode( $review ) . "\n" );
	exit( 1 );
}
$state = $browser->state();
$order = $browser->klarna_order();
if ( empty( $order['merchant_urls']['validation'] ) || (int) $state['cart_items'] < 1 ) {
	fwrite( STDERR, 'cart: no cart or no validation URL: ' . json_encode( array( $state, $order ) ) . "\n" );
	exit( 1 );
}
$url = str_replace( '{checkout.order.id}', $order['order_id'], (string) $order['merchant_urls']['validation'] );
file_put_contents( $kco_dir . '/body.json', json_encode( $order, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ) );
file_put_contents( $kco_dir . '/cookies.json', json_encode( $browser->cookies ) );
file_put_contents( $kco_dir . '/session_key', $state['session_key'] . "\n" );
file_put_contents( $kco_dir . '/url', $url . "\n" );
printf( "cart of session %s: %d items, Klarna order %s, order_amount %d\n", $state['session_key'], $state['cart_items'], $order['order_id'], $order['order_amount'] );
