<?php
/**
 * Compare mode: after Klarna has its answer, ask WooCommerce itself and record where it would have decided otherwise.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools\Compare;

use KcoValidation\Plugin\Logger;
use KcoValidation\Plugin\Settings;
use KcoValidation\Plugin\Tools\DecisionLog;

defined( 'ABSPATH' ) || exit;

/**
 * Off by default (option `kco_validation_compare`, WooCommerce › Settings › Advanced › Klarna validation; filter
 * `kco_validation_compare_enabled`), and only once the decision log is installed.
 *
 * On `kco_validation_decided` it only keeps what it needs (CompareCase: arrays, no query, no WooCommerce object) and
 * hooks itself on `shutdown` (priority 1000, after WooCommerce's own session and cookie work). The endpoint sends
 * its answer and exits; at shutdown the answer is finished first — fastcgi_finish_request() (php-fpm),
 * litespeed_finish_request(), else every output buffer flushed (the answer carries its Content-Length) — and only
 * then is WooCommerce asked (WooCommerceChecker, by default WooCommerceCartChecker; filter
 * `kco_validation_compare_checker`) and the comparison recorded (CompareLog) with the WooCommerce version. It never
 * changes the answer (it runs after it is sent and reads copies), never writes to the shopper's session or cart
 * (the checker's contract; WooCommerceCartChecker works on a read-only copy), and never fatals: any Throwable is
 * recorded as status `error` (its class and where, no message) and logged (masked) to the plugin's WooCommerce log.
 */
final class CompareMode {

	/** The option (yes | no, autoloaded; added as 'no' with the log's schema). */
	const OPTION = 'kco_validation_compare';

	/** Priority on `shutdown`. */
	const SHUTDOWN_PRIORITY = 1000;

	/**
	 * Cases waiting for the shutdown.
	 *
	 * @var list<CompareCase>
	 */
	private static array $pending = array();

	/**
	 * What finishes the response (tests replace it; null: the SAPI's own, see finish_response()).
	 *
	 * @var callable|null
	 */
	public static $finisher = null;

	/** The comparisons table. */
	private CompareLog $log;

	/** The plugin's log. */
	private Logger $logger;

	/**
	 * Constructor.
	 *
	 * @param CompareLog|null $log    Table (default on the global wpdb).
	 * @param Logger|null     $logger Log (default at the plugin's level).
	 */
	public function __construct( ?CompareLog $log = null, ?Logger $logger = null ) {
		$this->log    = $log ?? new CompareLog();
		$this->logger = $logger ?? new Logger( Settings::load()->log_level );
	}

	/**
	 * Whether compare mode is on: the log installed (its table exists), the option, then the filter. Options are
	 * autoloaded: no query.
	 */
	public static function enabled(): bool {
		if ( DecisionLog::SCHEMA_VERSION !== (string) get_option( DecisionLog::SCHEMA_OPTION, '' ) ) {
			return false;
		}
		$on = 'yes' === get_option( self::OPTION, 'no' );
		/**
		 * Whether compare mode runs for this callback.
		 *
		 * @param bool $on The setting.
		 */
		return (bool) apply_filters( 'kco_validation_compare_enabled', $on );
	}

	/**
	 * The `kco_validation_decided` listener: keeps the case and hooks the shutdown run. Never throws, never
	 * changes its arguments.
	 *
	 * @param mixed $verdict  Verdict as answered.
	 * @param mixed $order    \KcoValidation\Order.
	 * @param mixed $snapshot Snapshot.
	 * @param mixed $ms       Milliseconds.
	 * @param mixed $claimed  Units of stock claimed (unused).
	 * @param mixed $body     Klarna's raw body.
	 */
	public static function on_decided( $verdict, $order = null, $snapshot = null, $ms = 0, $claimed = 0, $body = null ): void {
		try {
			if ( ! self::enabled() ) {
				return;
			}
			$case = CompareCase::capture( $verdict, $order, $snapshot, is_string( $body ) ? $body : null );
			if ( null === $case ) {
				return;
			}
			self::$pending[] = $case;
			if ( false === has_action( 'shutdown', array( self::class, 'run_pending' ) ) ) {
				add_action( 'shutdown', array( self::class, 'run_pending' ), self::SHUTDOWN_PRIORITY );
			}
		} catch ( \Throwable $e ) { // phpcs:ignore Generic.CodeAnalysis.EmptyStatement.DetectedCatch -- compare mode never changes the answer.
		}
	}

	/**
	 * The shutdown run: finishes the response, then compares every pending case.
	 */
	public static function run_pending(): void {
		$cases         = self::$pending;
		self::$pending = array();
		if ( array() === $cases ) {
			return;
		}
		try {
			self::finish_response();
			$mode = new self();
			foreach ( $cases as $case ) {
				$mode->run( $case );
			}
		} catch ( \Throwable $e ) { // phpcs:ignore Generic.CodeAnalysis.EmptyStatement.DetectedCatch -- run() records its own faults; this only guards the set-up.
		}
	}

	/**
	 * Cases waiting (tests).
	 *
	 * @return list<CompareCase>
	 */
	public static function pending(): array {
		return self::$pending;
	}

	/**
	 * Forgets pending cases and the finisher (tests).
	 */
	public static function reset(): void {
		self::$pending  = array();
		self::$finisher = null;
	}

	/**
	 * Sends the answer to the client before the comparison starts.
	 */
	public static function finish_response(): void {
		if ( null !== self::$finisher ) {
			( self::$finisher )();
			return;
		}
		if ( 'cli' === PHP_SAPI || 'phpdbg' === PHP_SAPI ) {
			return;
		}
		ignore_user_abort( true );
		if ( function_exists( 'fastcgi_finish_request' ) ) {
			fastcgi_finish_request();
			return;
		}
		if ( function_exists( 'litespeed_finish_request' ) ) {
			litespeed_finish_request();
			return;
		}
		for ( $i = ob_get_level(); $i > 0; $i-- ) {
			if ( ! @ob_end_flush() ) { // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged -- a buffer that cannot be removed is left.
				break;
			}
		}
		flush();
	}

	/**
	 * Compares one case and records it. Returns what was recorded (tests). Never throws.
	 *
	 * @param CompareCase $case The callback.
	 * @return array{status: string, wc_version: string, ours: list<string>, woocommerce: list<string>, areas: list<string>, detail: array<string, mixed>}
	 */
	public function run( CompareCase $case ): array {
		$start  = hrtime( true );
		$record = array(
			'status'      => 'error',
			'wc_version'  => '',
			'ours'        => Comparison::ours( $case ),
			'woocommerce' => array(),
			'areas'       => array(),
			'detail'      => array(),
		);
		try {
			$checker = self::checker( $case );
			$record['wc_version'] = $checker->version();
			if ( ! $case->session_usable ) {
				$record['status']           = 'skipped';
				$record['detail']['skipped'] = 'session_missing';
			} elseif ( in_array( 'currency_mismatch', $case->codes, true ) ) {
				$record['status']           = 'skipped';
				$record['detail']['skipped'] = 'currency_mismatch';
			} else {
				$result = $checker->check( $case );
				if ( null !== $result->skipped ) {
					$record['status']           = 'skipped';
					$record['detail']['skipped'] = $result->skipped;
				} else {
					$disagreements               = Comparison::disagreements( $case, $result );
					$record['status']            = array() === $disagreements ? 'agree' : 'disagree';
					$record['woocommerce']       = array_values( array_intersect( $result->codes(), Comparison::compared_codes() ) );
					$record['areas']             = array_values( array_unique( array_column( $disagreements, 'area' ) ) );
					$record['detail']['disagreements'] = $disagreements;
					$not_compared                      = Comparison::not_compared( $result );
					if ( array() !== $not_compared ) {
						$record['detail']['not_compared'] = $not_compared;
					}
					$record['detail']['woocommerce_reasons'] = self::reasons( $result );
					$record['detail']['facts']   = $result->facts;
				}
			}
		} catch ( \Throwable $e ) {
			$record['status']          = 'error';
			$record['detail']['error'] = get_class( $e );
			$record['detail']['where'] = basename( $e->getFile() ) . ':' . $e->getLine();
			$this->logger->log( 'error', sprintf( 'compare order_id=%s failed: %s: %s (%s)', $case->order_id, get_class( $e ), self::mask( $e->getMessage() ), $record['detail']['where'] ) );
		}
		$ms = ( hrtime( true ) - $start ) / 1e6;
		try {
			$this->log->record( $case->order_id, $record['wc_version'], $record['status'], $record['ours'], $record['woocommerce'], $record['areas'], $record['detail'], $ms );
			if ( 'disagree' === $record['status'] ) {
				$this->logger->log( 'notice', sprintf( 'compare order_id=%s woocommerce=%s disagree areas=%s ours=%s woocommerce_codes=%s', $case->order_id, $record['wc_version'], implode( ',', $record['areas'] ), implode( ',', $record['ours'] ) ?: '-', implode( ',', $record['woocommerce'] ) ?: '-' ) );
			}
			/**
			 * After a comparison was recorded (no personal data).
			 *
			 * @param array  $record   status, wc_version, ours, woocommerce, areas, detail.
			 * @param string $order_id Klarna order id.
			 */
			do_action( 'kco_validation_compared', $record, $case->order_id );
		} catch ( \Throwable $e ) {
			$this->logger->log( 'error', sprintf( 'compare order_id=%s not recorded: %s', $case->order_id, get_class( $e ) ) );
		}
		return $record;
	}

	/**
	 * The checker (filter `kco_validation_compare_checker`; default WooCommerceCartChecker).
	 *
	 * @param CompareCase $case The callback.
	 */
	private static function checker( CompareCase $case ): WooCommerceChecker {
		/**
		 * The WooCommerce checker compare mode asks (tests give a fake; a shop may wrap the default).
		 *
		 * @param WooCommerceChecker|null $checker Null: the default.
		 * @param CompareCase             $case    The callback.
		 */
		$checker = apply_filters( 'kco_validation_compare_checker', null, $case );
		return $checker instanceof WooCommerceChecker ? $checker : new WooCommerceCartChecker();
	}

	/**
	 * WooCommerce's reasons per code.
	 *
	 * @param CheckResult $result Result.
	 * @return array<string, list<string>>
	 */
	private static function reasons( CheckResult $result ): array {
		$out = array();
		foreach ( $result->codes() as $code ) {
			$out[ $code ] = $result->reasons_of( $code );
		}
		return $out;
	}

	/**
	 * An exception message for the log: emails masked, one line, short.
	 *
	 * @param string $message Message.
	 */
	private static function mask( string $message ): string {
		$message = (string) preg_replace_callback( '/[^\s"`\'<>@]+@[^\s"`\'<>@]+/', static fn ( array $m ): string => Logger::mask_email( $m[0] ), $message );
		$message = (string) preg_replace( '/[\x00-\x1F\x7F]+/', ' ', $message );
		return strlen( $message ) > 300 ? substr( $message, 0, 300 ) . '…' : $message;
	}
}
