<?php
/**
 * The shipped translations of the shopper-facing texts (php/languages/*.po, *.mo): complete, placeholders kept,
 * the .mo built from the .po, and loaded by the plugin's init hook.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

class TranslationsTest extends TestCase {

	const LOCALES = array( 'de_DE', 'sv_SE' );

	/** msgids of the .pot that come from the shopper's texts (Notices.php, Reasons.php). */
	private static function shopper_msgids(): array {
		require_once ABSPATH . WPINC . '/pomo/po.php';
		$pot = new \PO();
		self::assertTrue( $pot->import_from_file( KCO_TEST_ROOT . '/php/languages/kco-validation.pot' ) );
		$ids = array();
		foreach ( $pot->entries as $entry ) {
			foreach ( $entry->references as $reference ) {
				if ( str_contains( $reference, 'src/ShopperPage/Notices.php' ) || str_contains( $reference, 'src/ShopperPage/Reasons.php' ) ) {
					$ids[] = $entry->singular;
					break;
				}
			}
		}
		return $ids;
	}

	/** The printf placeholders of a text, sorted. */
	private static function placeholders( string $text ): array {
		preg_match_all( '/%(?:\d+\$)?[sd]/', $text, $m );
		sort( $m[0] );
		return $m[0];
	}

	public function test_every_shopper_text_is_translated_with_its_placeholders(): void {
		require_once ABSPATH . WPINC . '/pomo/po.php';
		$ids = self::shopper_msgids();
		$this->assertGreaterThanOrEqual( 40, count( $ids ), 'the reasons and the general texts' );
		foreach ( self::LOCALES as $locale ) {
			$po = new \PO();
			$this->assertTrue( $po->import_from_file( KCO_TEST_ROOT . "/php/languages/kco-validation-{$locale}.po" ), $locale );
			foreach ( $ids as $id ) {
				$entry = $po->entries[ $id ] ?? null;
				$this->assertNotNull( $entry, "{$locale} lacks: {$id}" );
				$this->assertNotSame( '', (string) ( $entry->translations[0] ?? '' ), "{$locale} leaves untranslated: {$id}" );
				$this->assertNotContains( 'fuzzy', $entry->flags, "{$locale} fuzzy: {$id}" );
				$this->assertSame( self::placeholders( $id ), self::placeholders( $entry->translations[0] ), "{$locale} placeholders of: {$id}" );
			}
		}
	}

	public function test_each_mo_holds_exactly_its_po(): void {
		require_once ABSPATH . WPINC . '/pomo/po.php';
		foreach ( self::LOCALES as $locale ) {
			$po = new \PO();
			$mo = new \MO();
			$po->import_from_file( KCO_TEST_ROOT . "/php/languages/kco-validation-{$locale}.po" );
			$this->assertTrue( $mo->import_from_file( KCO_TEST_ROOT . "/php/languages/kco-validation-{$locale}.mo" ), $locale );
			$this->assertSame( count( $po->entries ), count( $mo->entries ), "{$locale}: rebuild the .mo (scripts/make-pot.sh)" );
			foreach ( $po->entries as $key => $entry ) {
				$this->assertSame( $entry->translations, $mo->entries[ $key ]->translations ?? null, "{$locale}: {$key}" );
			}
		}
	}

	public function test_the_plugins_init_hook_loads_the_shoppers_translation(): void {
		foreach ( $GLOBALS['kco_test_main_file_hooks']['init']->callbacks ?? array() as $callbacks ) {
			foreach ( $callbacks as $callback ) {
				call_user_func( $callback['function'] );
			}
		}
		$this->assertSame( KCO_TEST_ROOT . '/php/languages', $GLOBALS['kco_test_textdomain_paths']['kco-validation'] ?? null );
		update_option( 'WPLANG', 'sv_SE' );
		$GLOBALS['locale'] = null;
		$this->assertSame( array( 'Inget fraktsätt valdes.' ), \KcoValidation\Plugin\ShopperPage\Notices::messages_for( array( 'kco_validation' => 'shipping_missing' ) ) );
		update_option( 'WPLANG', 'de_DE' );
		$GLOBALS['locale'] = null;
		$this->assertSame( array( 'Es wurde keine Versandart gewählt.' ), \KcoValidation\Plugin\ShopperPage\Notices::messages_for( array( 'kco_validation' => 'shipping_missing' ) ) );
	}
}
