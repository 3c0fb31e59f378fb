<?php
/**
 * Compare mode with the project's doubles (which cannot run WooCommerce): the orchestration around a fake
 * WooCommerceChecker — off by default, capture without a query, the answer unchanged, the comparison only after
 * the response is finished, every fault caught and recorded, codes only in the row — the session's read-only copy
 * against the session handler double, the comparisons table, `wp kco-validation compare`, the log screen's panel
 * and the setting. WooCommerce's own checks (WooCommerceCartChecker, CartSandbox) run in tests/real against real
 * WooCommerce releases (make test-real).
 *
 * @package KcoValidation\Plugin\Tests\Tools
 */

namespace KcoValidation\Plugin\Tests\Tools;

use KcoValidation\Plugin\Plugin;
use KcoValidation\Plugin\Tests\Shop;
use KcoValidation\Plugin\Tools\CliCommand;
use KcoValidation\Plugin\Tools\Compare\CheckResult;
use KcoValidation\Plugin\Tools\Compare\CompareCase;
use KcoValidation\Plugin\Tools\Compare\CompareLog;
use KcoValidation\Plugin\Tools\Compare\CompareMode;
use KcoValidation\Plugin\Tools\Compare\Comparison;
use KcoValidation\Plugin\Tools\Compare\ReadOnlySession;
use KcoValidation\Plugin\Tools\Compare\WooCommerceChecker;
use KcoValidation\Plugin\Tools\DecisionLog;
use KcoValidation\Plugin\Tools\LogScreen;
use KcoValidation\Plugin\Tools\LogSettings;
use KcoValidation\Plugin\Tools\ToolsBootstrap;
use KcoValidation\Plugin\Settings;

/** A WooCommerce checker whose findings the test sets; it records when it runs. */
final class FakeWooCommerceChecker implements WooCommerceChecker {
	/** @var CheckResult */
	public $result;
	/** @var \Throwable|null */
	public $throw = null;
	/** @var list<CompareCase> */
	public $cases = array();
	public function __construct( ?CheckResult $result = null ) {
		$this->result = $result ?? ( new CheckResult() )->fact( 'needs_shipping', true );
	}
	public function version(): string {
		return '9.9.5';
	}
	public function check( CompareCase $case ): CheckResult {
		$GLOBALS['kco_test_compare_events'][] = 'check';
		$this->cases[]                        = $case;
		if ( null !== $this->throw ) {
			throw $this->throw;
		}
		return $this->result;
	}
}

class CompareModeTest extends ToolsTestCase {

	const EMAIL = 'sofia.lindqvist@example.se';

	/** @var FakeWooCommerceChecker */
	private $checker;

	/** @var string|null The test's Klarna body (its product and session made on first use). */
	private $json = null;

	protected function setUp(): void {
		parent::setUp();
		ToolsBootstrap::register();
		( new Plugin() )->boot();
		add_filter( 'kco_validation_log_prune_probability', static fn () => 0 );
		self::install_log();
		$GLOBALS['kco_test_compare_events'] = array();
		CompareMode::$finisher              = static function () {
			$GLOBALS['kco_test_compare_events'][] = 'finish';
		};
		$this->checker = new FakeWooCommerceChecker();
		add_filter( 'kco_validation_compare_checker', fn () => $this->checker );
	}

	/**
	 * A guest's callback for 2 mugs when 1 is left: denied with insufficient_stock.
	 *
	 * @return array{0: \KcoValidation\Plugin\Tests\CapturingResponse, 1: string}
	 */
	private function klarna_callback( string $session = self::GUEST ): array {
		if ( null === $this->json ) {
			$id         = Shop::product( array( 'sku' => 'MUG', 'name' => 'Blue mug', 'manage_stock' => true, 'stock' => 1 ) );
			$this->json = self::klarna_order( array( array( 'MUG', 2, 10000 ) ), array( 'email' => self::EMAIL ) );
			Shop::session( self::GUEST, self::cart_for( $this->json, array( 'MUG' => $id ) ) );
		}
		$r = $this->post_callback( $this->json, array( 'kco_session_id' => $session, 'kco-action' => 'validation' ) );
		return array( $r, $this->json );
	}

	/** The comparisons recorded, newest first. */
	private static function rows(): array {
		return ( new CompareLog() )->query()['rows'];
	}

	/** What Klarna was sent, comparable between runs. */
	private static function answer( $r ): array {
		return array( $r->status, $r->header_value( 'Location' ), $r->header_value( 'Content-Type' ), $r->body );
	}

	public function test_off_by_default_and_nothing_happens(): void {
		$this->assertSame( 'no', get_option( CompareMode::OPTION ), 'installed with the log, off' );
		$this->assertFalse( CompareMode::enabled() );
		list( $r ) = $this->klarna_callback();
		$this->assertSame( 303, $r->status );
		$this->assertSame( array(), CompareMode::pending() );
		$this->assertFalse( has_action( 'shutdown', array( CompareMode::class, 'run_pending' ) ) );
		do_action( 'shutdown' );
		$this->assertSame( array(), $GLOBALS['kco_test_compare_events'] );
		$this->assertSame( array(), self::rows() );
	}

	public function test_without_the_log_installed_it_is_off_whatever_the_option(): void {
		update_option( CompareMode::OPTION, 'yes' );
		update_option( DecisionLog::SCHEMA_OPTION, '' );
		$this->assertFalse( CompareMode::enabled(), 'no table to write to' );
	}

	public function test_the_filter_has_the_last_word(): void {
		update_option( CompareMode::OPTION, 'yes' );
		$off = static fn () => false;
		add_filter( 'kco_validation_compare_enabled', $off );
		$this->assertFalse( CompareMode::enabled() );
		remove_filter( 'kco_validation_compare_enabled', $off );
		update_option( CompareMode::OPTION, 'no' );
		add_filter( 'kco_validation_compare_enabled', static fn () => true );
		$this->assertTrue( CompareMode::enabled() );
	}

	public function test_the_answer_and_its_queries_are_the_same_with_compare_mode_on(): void {
		global $wpdb;
		$this->klarna_callback(); // Makes the product and the session.
		$before      = $wpdb->num_queries;
		list( $off ) = $this->klarna_callback();
		$queries_off = $wpdb->num_queries - $before;

		update_option( CompareMode::OPTION, 'yes' );
		$before     = $wpdb->num_queries;
		list( $on ) = $this->klarna_callback();
		$queries_on = $wpdb->num_queries - $before;

		$this->assertSame( self::answer( $off ), self::answer( $on ), 'Klarna gets the same answer' );
		$this->assertSame( $queries_off, $queries_on, 'capturing the case adds no query' );
		$this->assertCount( 1, CompareMode::pending() );
		$this->assertSame( array(), $GLOBALS['kco_test_compare_events'], 'nothing asked of WooCommerce before the answer' );
		$this->assertSame( 303, $on->status );
		$this->assertSame( array(), self::rows() );
	}

	public function test_after_the_answer_it_finishes_the_response_then_asks_woocommerce_and_records(): void {
		update_option( CompareMode::OPTION, 'yes' );
		$this->checker->result = ( new CheckResult() )
			->add( 'coupon_invalid', 'expired/wc_107' )
			->fact( 'needs_shipping', false );
		list( $r, $json ) = $this->klarna_callback();
		$this->assertSame( 303, $r->status );
		$this->assertSame( 'insufficient_stock', self::location_query( $r->header_value( 'Location' ) )['kco_validation'] ?? null );
		$this->assertSame( CompareMode::SHUTDOWN_PRIORITY, has_action( 'shutdown', array( CompareMode::class, 'run_pending' ) ) );

		do_action( 'shutdown' );
		$this->assertSame( array( 'finish', 'check' ), $GLOBALS['kco_test_compare_events'], 'the response is finished before WooCommerce is asked' );
		$case = $this->checker->cases[0];
		$this->assertSame( self::GUEST, $case->session_key );
		$this->assertSame( self::EMAIL, $case->email, 'WooCommerce\'s email checks get Klarna\'s billing email (in memory)' );
		$this->assertSame( json_decode( $json, true )['order_amount'], $case->order_amount );
		$this->assertSame( 'SE', $case->address['shipping']['country'] );
		$this->assertTrue( $case->needs_shipping, 'our snapshot\'s needs_shipping' );

		$rows = self::rows();
		$this->assertCount( 1, $rows );
		$row = $rows[0];
		$this->assertSame( json_decode( $json, true )['order_id'], $row['klarna_order_id'] );
		$this->assertSame( '9.9.5', $row['wc_version'] );
		$this->assertSame( 'disagree', $row['status'] );
		$this->assertSame( array( 'insufficient_stock' ), $row['ours'] );
		$this->assertSame( array( 'coupon_invalid' ), $row['woocommerce'] );
		$this->assertSame( array( 'stock', 'coupons', 'needs_shipping' ), $row['areas'] );
		$this->assertSame(
			array(
				array( 'stock', 'ours_only', array( 'insufficient_stock' ), array() ),
				array( 'coupons', 'woocommerce_only', array(), array( 'coupon_invalid' ) ),
				array( 'needs_shipping', 'ours_only', array( 'needs_shipping' ), array( 'no_shipping_needed' ) ),
			),
			array_map( static fn ( $d ) => array( $d['area'], $d['kind'], $d['ours'], $d['woocommerce'] ), $row['detail']['disagreements'] )
		);
		$this->assertSame( array( 'coupon_invalid' => array( 'expired/wc_107' ) ), $row['detail']['woocommerce_reasons'] );
		$notices = array_values( array_filter( self::log_entries(), static fn ( $e ) => str_starts_with( $e['message'], 'compare ' ) ) );
		$this->assertCount( 1, $notices );
		$this->assertSame( 'notice', $notices[0]['level'] );
		$this->assertStringContainsString( 'disagree areas=stock,coupons,needs_shipping', $notices[0]['message'] );

		do_action( 'shutdown' );
		$this->assertCount( 1, self::rows(), 'each case is compared once' );
	}

	public function test_agreement_is_recorded_too(): void {
		update_option( CompareMode::OPTION, 'yes' );
		$this->checker->result = ( new CheckResult() )->add( 'insufficient_stock', 'out-of-stock' )->fact( 'needs_shipping', true );
		$this->klarna_callback();
		do_action( 'shutdown' );
		$row = self::rows()[0];
		$this->assertSame( 'agree', $row['status'] );
		$this->assertSame( array(), $row['areas'] );
		$this->assertSame( array( 'insufficient_stock' ), $row['woocommerce'] );
	}

	public function test_the_row_holds_codes_and_no_personal_data(): void {
		global $wpdb;
		update_option( CompareMode::OPTION, 'yes' );
		$this->checker->result = ( new CheckResult() )->add( 'out_of_stock', 'out-of-stock' )->fact( 'needs_shipping', true )->fact( 'total', 29900 );
		list( , $json ) = $this->klarna_callback();
		do_action( 'shutdown' );
		$raw     = (string) json_encode( $wpdb->get_row( "SELECT * FROM {$wpdb->prefix}kco_validation_compare", ARRAY_A ), JSON_UNESCAPED_UNICODE );
		$address = json_decode( $json, true )['billing_address'];
		foreach ( array( 'sofia.lindqvist', 'example.se', self::GUEST, $address['given_name'], $address['family_name'], $address['street_address'], $address['postal_code'], $address['city'], $address['phone'] ) as $personal ) {
			$this->assertStringNotContainsString( $personal, $raw );
		}
	}

	public function test_a_checker_that_throws_is_recorded_and_never_reaches_klarna(): void {
		update_option( CompareMode::OPTION, 'yes' );
		list( $off ) = $this->klarna_callback();
		$this->checker->throw = new \RuntimeException( 'boom while reading ' . self::EMAIL );
		do_action( 'shutdown' );
		$row = self::rows()[0];
		$this->assertSame( 'error', $row['status'] );
		$this->assertSame( '9.9.5', $row['wc_version'] );
		$this->assertSame( \RuntimeException::class, $row['detail']['error'] );
		$this->assertMatchesRegularExpression( '/^CompareModeTest\.php:\d+$/', $row['detail']['where'] );
		$this->assertStringNotContainsString( 'boom', json_encode( $row ), 'no message in the table (it may quote anything)' );
		$errors = array_values( array_filter( self::log_entries(), static fn ( $e ) => 'error' === $e['level'] ) );
		$this->assertCount( 1, $errors );
		$this->assertStringContainsString( 'boom while reading s***@example.se', $errors[0]['message'], 'logged, masked' );
		$this->assertSame( 303, $off->status );
	}

	public function test_a_fault_while_capturing_never_changes_the_answer(): void {
		list( $off ) = $this->klarna_callback();
		add_filter(
			'kco_validation_compare_enabled',
			static function () {
				throw new \LogicException( 'a broken filter' );
			}
		);
		list( $on ) = $this->klarna_callback();
		$this->assertSame( self::answer( $off ), self::answer( $on ) );
		$this->assertSame( array(), CompareMode::pending() );
	}

	public function test_no_session_is_skipped_without_asking_woocommerce(): void {
		update_option( CompareMode::OPTION, 'yes' );
		$this->klarna_callback( 'ffffffffffffffffffffffffffffffff' );
		do_action( 'shutdown' );
		$row = self::rows()[0];
		$this->assertSame( 'skipped', $row['status'] );
		$this->assertSame( 'session_missing', $row['detail']['skipped'] );
		$this->assertSame( array( 'finish' ), $GLOBALS['kco_test_compare_events'] );
	}

	public function test_the_default_checker_without_woocommerce_skips(): void {
		remove_all_filters( 'kco_validation_compare_checker' );
		update_option( CompareMode::OPTION, 'yes' );
		$this->klarna_callback();
		do_action( 'shutdown' );
		$row = self::rows()[0];
		$this->assertSame( 'skipped', $row['status'], json_encode( $row ) );
		$this->assertSame( 'woocommerce_missing', $row['detail']['skipped'], 'the doubles have no WC_Cart: WooCommerceCartChecker says so' );
		$this->assertSame( WC()->version, $row['wc_version'] );
	}

	public function test_two_callbacks_in_one_process_finish_the_response_once(): void {
		update_option( CompareMode::OPTION, 'yes' );
		$this->klarna_callback();
		$this->klarna_callback( 'ffffffffffffffffffffffffffffffff' );
		$this->assertCount( 2, CompareMode::pending() );
		do_action( 'shutdown' );
		$this->assertSame( array( 'finish', 'check' ), $GLOBALS['kco_test_compare_events'] );
		$this->assertCount( 2, self::rows() );
	}

	public function test_the_shoppers_session_row_is_byte_identical_after_the_comparison(): void {
		global $wpdb;
		update_option( CompareMode::OPTION, 'yes' );
		$read = static fn () => $wpdb->get_row( $wpdb->prepare( "SELECT session_value, session_expiry FROM {$wpdb->prefix}woocommerce_sessions WHERE session_key = %s", self::GUEST ), ARRAY_A );
		// A checker that does what WooCommerceCartChecker does to a session: a read-only copy put in WC(), and every
		// call WooCommerce's cart code makes on it.
		$checker = new class() implements WooCommerceChecker {
			public function version(): string {
				return '9.9.5';
			}
			public function check( CompareCase $case ): CheckResult {
				global $wpdb;
				$row     = $wpdb->get_row( $wpdb->prepare( "SELECT session_value, session_expiry FROM {$wpdb->prefix}woocommerce_sessions WHERE session_key = %s", $case->session_key ), ARRAY_A );
				$session = new ReadOnlySession( $case->session_key, maybe_unserialize( $row['session_value'] ), (int) $row['session_expiry'] );
				$session->init();
				$session->set( 'cart', array() );
				$session->set( 'chosen_shipping_methods', array( 'flat_rate:9' ) );
				$session->order_awaiting_payment = 17;
				$session->save_data();
				$session->update_session_timestamp( $case->session_key, 1 );
				$session->destroy_session();
				$session->forget_session();
				$session->delete_session( $case->session_key );
				return ( new CheckResult() )->add( 'insufficient_stock' )->fact( 'needs_shipping', true );
			}
		};
		add_filter( 'kco_validation_compare_checker', static fn () => $checker, 20 );
		list( $r ) = $this->klarna_callback();
		$before    = $read();
		$this->assertSame( 303, $r->status );
		do_action( 'shutdown' );
		$this->assertSame( 'agree', self::rows()[0]['status'] );
		$this->assertSame( $before, $read(), 'the session row is byte-identical' );
	}

	public function test_the_read_only_session_reads_like_woocommerce_and_writes_nothing(): void {
		global $wpdb;
		Shop::session( self::GUEST, array( 'cart' => array( 'k' => array( 'product_id' => 7, 'quantity' => 2 ) ), 'chosen_shipping_methods' => array( 'flat_rate:3' ), 'kco_wc_order_id' => 'k-1' ) );
		$read = static fn () => $wpdb->get_row( $wpdb->prepare( "SELECT session_value, session_expiry FROM {$wpdb->prefix}woocommerce_sessions WHERE session_key = %s", self::GUEST ), ARRAY_A );
		$row  = $read();

		// The teeth of this test: WooCommerce's own handler (the double mirrors its writes) does change the row.
		$handler = new \WC_Session_Handler( self::GUEST );
		$handler->set( 'kco_wc_order_id', 'k-2' );
		$handler->save_data();
		$this->assertNotSame( $row, $read() );
		$wpdb->update( $wpdb->prefix . 'woocommerce_sessions', $row, array( 'session_key' => self::GUEST ) );
		$this->assertSame( $row, $read() );

		$session = new ReadOnlySession( self::GUEST, maybe_unserialize( $row['session_value'] ), (int) $row['session_expiry'] );
		$this->assertInstanceOf( \WC_Session_Handler::class, $session, 'WooCommerce code that expects its handler gets one' );
		$this->assertSame( self::GUEST, $session->get_customer_id() );
		$this->assertSame( array( 'flat_rate:3' ), $session->get( 'chosen_shipping_methods' ) );
		$this->assertSame( 'k-1', $session->kco_wc_order_id );
		$this->assertTrue( $session->has_session() );
		$session->init();
		$this->assertFalse( has_action( 'shutdown', array( $session, 'save_data' ) ), 'no save at shutdown' );
		$session->set( 'kco_wc_order_id', 'k-3' );
		$this->assertSame( 'k-3', $session->get( 'kco_wc_order_id' ), 'changes live in memory' );
		$session->save_data();
		$session->update_session_timestamp( self::GUEST, 1 );
		$session->cleanup_sessions();
		$session->destroy_session();
		$session->delete_session( self::GUEST );
		$this->assertSame( $row, $read(), 'nothing reached the row' );
		$this->assertNull( $session->get( 'kco_wc_order_id' ), 'destroy_session() forgets in memory only' );
		$this->assertFalse( $session->get_session( 'another-key' ), 'no other session is read' );
	}

	public function test_areas_kinds_and_what_follows_a_change_woocommerce_made(): void {
		$case = new CompareCase(
			array(
				'codes'          => array( 'out_of_stock', 'coupon_invalid', 'cart_mismatch' ),
				'needs_shipping' => true,
			)
		);
		$wc   = ( new CheckResult() )->add( 'insufficient_stock' )->add( 'coupon_invalid', 'expired/wc_107' )->add( 'totals_mismatch', 'grand_total' )->fact( 'needs_shipping', true );
		$diff = Comparison::disagreements( $case, $wc );
		$this->assertSame( array( array( 'stock', 'codes_differ' ) ), array_map( static fn ( $d ) => array( $d['area'], $d['kind'] ), $diff ), 'cart_mismatch is not compared; totals follow the invalid coupon' );
		$this->assertSame( array( 'totals' => 'follows coupon_invalid' ), Comparison::not_compared( $wc ) );

		$dropped = ( new CheckResult() )->add( 'not_purchasable', 'dropped_from_cart' )->add( 'totals_mismatch' )->fact( 'needs_shipping', false );
		$this->assertSame(
			array( array( 'purchasable', 'codes_differ', array( 'unknown_product' ), array( 'not_purchasable' ) ) ),
			array_map( static fn ( $d ) => array( $d['area'], $d['kind'], $d['ours'], $d['woocommerce'] ), Comparison::disagreements( new CompareCase( array( 'codes' => array( 'unknown_product' ), 'needs_shipping' => true ) ), $dropped ) )
		);

		$stale = ( new CheckResult() )->add( 'totals_mismatch', 'grand_total' )->fact( 'needs_shipping', true );
		$this->assertSame( array( 'totals' ), array_column( Comparison::disagreements( new CompareCase( array( 'needs_shipping' => true ) ), $stale ), 'area' ), 'recalculated totals that no longer match are WooCommerce\'s only' );
	}

	public function test_the_table_is_installed_with_the_log_pruned_with_it_and_dropped_on_uninstall(): void {
		global $wpdb;
		$table = $wpdb->prefix . 'kco_validation_compare';
		$this->assertSame( array( 'id', 'created_at', 'klarna_order_id', 'wc_version', 'status', 'ours', 'woocommerce', 'areas', 'detail', 'duration_ms' ), $wpdb->get_col( "SHOW COLUMNS FROM {$table}" ) );
		$log = new CompareLog();
		$log->record( 'old', '9.9.5', 'agree', array(), array(), array(), array(), 1.0, time() - 40 * DAY_IN_SECONDS );
		$log->record( 'new', '9.9.5', 'disagree', array( 'out_of_stock' ), array(), array( 'stock' ), array(), 1.0 );
		DecisionLog::cron_prune();
		$this->assertSame( array( 'new' ), array_column( $log->query()['rows'], 'klarna_order_id' ), 'kept as long as the log (30 days)' );
		( new DecisionLog() )->uninstall();
		$this->assertNull( $wpdb->get_var( "SHOW TABLES LIKE '{$table}'" ) );
		$this->assertFalse( get_option( CompareMode::OPTION ) );
	}

	public function test_cli_compare_lists_what_was_recorded(): void {
		$log = new CompareLog();
		$log->record( 'k-1', '9.9.5', 'agree', array(), array(), array(), array( 'facts' => array( 'needs_shipping' => true ) ), 3.0, strtotime( '2026-11-20 10:00:00 UTC' ) );
		$log->record(
			'k-2',
			'9.9.5',
			'disagree',
			array(),
			array( 'shipping_unavailable' ),
			array( 'shipping' ),
			array(
				'disagreements'       => array( array( 'area' => 'shipping', 'kind' => 'woocommerce_only', 'ours' => array(), 'woocommerce' => array( 'shipping_unavailable' ) ) ),
				'woocommerce_reasons' => array( 'shipping_unavailable' => array( 'rate_not_offered' ) ),
			),
			12.5,
			strtotime( '2026-11-21 10:00:00 UTC' )
		);
		update_option( CompareMode::OPTION, 'yes' );

		[ $code, $out ] = self::cli( fn () => ( new CliCommand() )->compare( array(), array() ) );
		$this->assertSame( 1, $code, 'a disagreement is listed' );
		$this->assertSame( 'Compare mode is on. 2 compared: 1 agree, 1 disagree, 0 skipped, 0 errors (WooCommerce 9.9.5).', $out[0] );
		$this->assertSame( implode( "\t", CliCommand::COMPARE_FIELDS ), $out[1] );
		$this->assertSame( "2026-11-21 10:00:00\tk-2\t9.9.5\tdisagree\tshipping: ours -, woocommerce shipping_unavailable\t\tshipping_unavailable\tshipping_unavailable(rate_not_offered)", $out[2] );

		[ $code, $out ] = self::cli( fn () => ( new CliCommand() )->compare( array(), array( 'status' => 'agree', 'format' => 'json' ) ) );
		$this->assertSame( 0, $code );
		$json = json_decode( $out[0], true );
		$this->assertTrue( $json['enabled'] );
		$this->assertSame( array( 'k-1' ), array_column( $json['rows'], 'klarna_order_id' ) );
		$this->assertSame( 2, $json['summary']['total'] );

		[ $code, , $err ] = self::cli( fn () => ( new CliCommand() )->compare( array(), array( 'status' => 'bad' ) ) );
		$this->assertSame( 1, $code );
		$this->assertStringContainsString( 'agree, disagree, skipped, error', $err[0] );
	}

	public function test_the_log_screen_shows_the_comparisons(): void {
		$GLOBALS['kco_test_caps'] = array( 'manage_woocommerce' );
		$screen                   = new LogScreen();
		$html                     = $screen->html( array() );
		$this->assertStringContainsString( 'Compare mode is off.', $html );
		$this->assertStringNotContainsString( 'kco-compare-table', $html );

		update_option( CompareMode::OPTION, 'yes' );
		$log = new CompareLog();
		$log->record( 'k-<b>', '9.9.5', 'disagree', array( 'out_of_stock' ), array(), array( 'stock' ), array( 'disagreements' => array( array( 'area' => 'stock', 'kind' => 'ours_only', 'ours' => array( 'out_of_stock' ), 'woocommerce' => array() ) ) ), 2.0 );
		$log->record( 'k-2', '9.9.5', 'error', array(), array(), array(), array( 'error' => 'Error', 'where' => 'X.php:1' ), 2.0 );
		$log->record( 'k-3', '9.9.5', 'agree', array(), array(), array(), array(), 2.0 );
		$html = $screen->html( array() );
		$this->assertStringContainsString( 'Compare mode is on:', $html );
		$this->assertStringContainsString( 'Last 14 days: 3 compared, 1 agree, 1 disagree, 0 skipped, 1 errors. WooCommerce 9.9.5.', $html );
		$this->assertSame( 2, substr_count( $html, 'class="kco-compare-row' ), 'disagreements and errors are listed' );
		$this->assertStringContainsString( 'stock: ours out_of_stock, woocommerce -', $html );
		$this->assertStringContainsString( 'error: Error at X.php:1', $html );
		$this->assertStringNotContainsString( 'k-<b>', $html );
	}

	public function test_the_setting_is_in_the_plugins_section(): void {
		$fields = LogSettings::add_fields( Settings::fields(), Settings::SECTION );
		$ids    = array_column( $fields, 'id' );
		$this->assertContains( CompareMode::OPTION, $ids );
		$field = $fields[ array_search( CompareMode::OPTION, $ids, true ) ];
		$this->assertSame( 'checkbox', $field['type'] );
		$this->assertSame( 'no', $field['default'] );
		$this->assertSame( 'sectionend', end( $fields )['type'] );
	}
}
