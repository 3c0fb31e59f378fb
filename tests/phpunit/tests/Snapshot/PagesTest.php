<?php
/**
 * Pages: the snapshot's `urls` and `language` on their own (as an answer for a fault needs them), without a query.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Order;
use KcoValidation\Plugin\Decision\Decider;
use KcoValidation\Plugin\Multilingual\Languages;
use KcoValidation\Plugin\Settings;
use KcoValidation\Plugin\Snapshot\Pages;
use KcoValidation\Plugin\Snapshot\SessionData;
use KcoValidation\Plugin\Snapshot\SessionStore;
use KcoValidation\Plugin\Snapshot\SnapshotBuilder;

class PagesTest extends TestCase {

	/** The cart and checkout pages in English and German (ids far above the products'). */
	private function pages(): void {
		foreach ( array( 900001 => 'checkout', 900002 => 'kasse', 900011 => 'cart', 900012 => 'warenkorb' ) as $id => $slug ) {
			$GLOBALS['kco_test_pages'][ $id ] = $slug;
		}
		kco_test_ml_translations( array( 'en' => 900001, 'de' => 900002 ), 'page' );
		kco_test_ml_translations( array( 'en' => 900011, 'de' => 900012 ), 'page' );
		update_option( 'woocommerce_checkout_page_id', 900001 );
		update_option( 'woocommerce_cart_page_id', 900011 );
	}

	public function test_a_one_language_shop_gets_woocommerces_urls_and_no_language(): void {
		$pages = new Pages();
		$this->assertNull( $pages->shopper_language( null, 'de-DE' ) );
		$this->assertSame( array( 'cart' => 'https://shop.example/cart/', 'checkout' => 'https://shop.example/checkout/' ), $pages->urls( null ) );
		$this->assertSame( array( 'code' => null, 'locale' => null ), $pages->language( null ) );
	}

	public function test_without_a_snapshot_the_pages_are_in_the_shoppers_language_and_cost_no_query(): void {
		kco_test_ml_enable( 'wpml' );
		$this->pages();
		$pages = new Pages( Languages::detect() );
		self::reset_queries();
		// A fault before any session was read: Klarna's locale decides.
		$lang = $pages->shopper_language( null, 'de-DE' );
		$this->assertSame( 'de', $lang );
		$this->assertSame( array( 'cart' => 'https://shop.example/de/warenkorb/', 'checkout' => 'https://shop.example/de/kasse/' ), $pages->urls( $lang ) );
		$this->assertSame( array( 'code' => 'de', 'locale' => 'de_DE' ), $pages->language( $lang ) );
		// The session's recorded language comes first.
		$this->assertSame( 'en', $pages->shopper_language( new SessionData( self::GUEST, true, false, array( 'kco_validation_language' => 'en' ) ), 'de-DE' ) );
		$this->assertSame( 0, count( self::queries() ) );
	}

	public function test_the_snapshots_language_is_the_pages_one_and_its_urls_are_built_only_to_deny(): void {
		global $wpdb;
		kco_test_ml_enable( 'polylang' );
		$this->pages();
		$cup  = Shop::product( array( 'sku' => 'CUP', 'manage_stock' => true, 'stock' => 5 ) );
		$json = self::klarna_order( array( array( 'CUP', 1, 10000 ) ) );
		Shop::session( self::GUEST, self::cart_for( $json, array( 'CUP' => $cup ), array( 'kco_validation_language' => 'de' ) ) );
		$session = ( new SessionStore( $wpdb ) )->load( self::GUEST );
		$builder = SnapshotBuilder::create( Settings::load(), Languages::detect(), $wpdb );
		$s       = $builder->build( Order::parse( $json ), $session );
		$lang    = $builder->pages()->shopper_language( $session, '' );
		$this->assertSame( 'de', $lang );
		$this->assertSame( $builder->pages()->language( $lang ), $s['language'] );
		// An approval needs no page: the snapshot has none.
		$this->assertArrayNotHasKey( 'urls', $s );
		$approved = Decider::create()->decide( Order::parse( $json ), self::GUEST );
		$this->assertTrue( $approved->approved() );
		$this->assertArrayNotHasKey( 'urls', $approved->snapshot );
		// A denial gets them, in the shopper's language, and its Location is on the German cart page.
		$wpdb->query( "UPDATE {$wpdb->postmeta} SET meta_value = '0' WHERE post_id = {$cup} AND meta_key = '_stock'" );
		$denied = Decider::create()->decide( Order::parse( $json ), self::GUEST );
		$this->assertFalse( $denied->approved() );
		$this->assertSame( $builder->pages()->urls( $lang ), $denied->snapshot['urls'] );
		$this->assertSame( 'https://shop.example/de/kasse/', $denied->snapshot['urls']['checkout'] );
		$this->assertStringStartsWith( 'https://shop.example/de/warenkorb/?', (string) $denied->response()['location'] );
		$this->assertStringContainsString( 'kco_validation=out_of_stock', (string) $denied->response()['location'] );
	}
}
