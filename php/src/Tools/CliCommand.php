<?php
/**
 * `wp kco-validation doctor|replay|log|claims|compare`.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools;

use KcoValidation\Plugin\Claims\ClaimStore;
use KcoValidation\Plugin\Tools\Compare\CompareLog;
use KcoValidation\Plugin\Tools\Compare\CompareMode;

defined( 'ABSPATH' ) || exit;

/**
 * Diagnoses Klarna's validation callback, replays saved callbacks and reads the decision log.
 *
 * Registered only when WP-CLI runs (ToolsBootstrap). Each subcommand is a thin shell over Doctor, Replay and
 * DecisionLog, which are tested on their own.
 */
class CliCommand {

	/** Columns of `log`. */
	const LOG_FIELDS = array( 'created_at', 'klarna_order_id', 'outcome', 'codes', 'wait_ms', 'duration_ms', 'status_sent', 'claimed' );

	/** Columns of `claims list`. */
	const CLAIM_FIELDS = array( 'klarna_order_id', 'product_id', 'quantity', 'wc_order_id', 'created_at', 'expires', 'expired' );

	/** Columns of `compare`. */
	const COMPARE_FIELDS = array( 'created_at', 'klarna_order_id', 'wc_version', 'status', 'disagreements', 'ours', 'woocommerce', 'woocommerce_reasons' );

	/**
	 * Factories (tests replace them).
	 *
	 * @var array{doctor: callable(): Doctor, replay: callable(): Replay, log: callable(): DecisionLog, claims: callable(): ClaimStore, compare: callable(): CompareLog}
	 */
	private array $factories;

	/**
	 * Constructor.
	 *
	 * @param array<string, callable> $factories doctor, replay, log, claims, compare.
	 */
	public function __construct( array $factories = array() ) {
		$this->factories = $factories + array(
			'doctor'  => static fn (): Doctor => new Doctor(),
			'replay'  => static fn (): Replay => Replay::create(),
			'log'     => static fn (): DecisionLog => new DecisionLog(),
			'claims'  => static fn (): ClaimStore => new ClaimStore(),
			'compare' => static fn (): CompareLog => new CompareLog(),
		);
	}

	/**
	 * Sends a probe to the shop's public validation URL as Klarna sends a callback (a POST of a Klarna order, for a
	 * throw-away session) and explains what stands in Klarna's way, quoting what in the answer shows it.
	 *
	 * ## OPTIONS
	 *
	 * [--url=<url>]
	 * : Probe this URL instead of home_url( '/wc-api/KCO_WC_Validation/' ).
	 *
	 * [--format=<format>]
	 * : text or json.
	 * ---
	 * default: text
	 * options:
	 *   - text
	 *   - json
	 * ---
	 *
	 * ## EXIT STATUS
	 *
	 * 0 when Klarna's callbacks reach the plugin, 1 otherwise.
	 *
	 * ## EXAMPLES
	 *
	 *     wp kco-validation doctor
	 *
	 * @param list<string>          $args  Positional arguments.
	 * @param array<string, string> $assoc Options.
	 */
	public function doctor( array $args, array $assoc ): void {
		$diagnosis = ( $this->factories['doctor'] )()->run( isset( $assoc['url'] ) ? (string) $assoc['url'] : null );
		if ( 'json' === ( $assoc['format'] ?? 'text' ) ) {
			\WP_CLI::line( (string) wp_json_encode( $diagnosis->to_array(), JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ) );
		} else {
			foreach ( $diagnosis->lines() as $line ) {
				\WP_CLI::line( $line );
			}
		}
		\WP_CLI::halt( $diagnosis->ok() ? 0 : 1 );
	}

	/**
	 * Runs a saved Klarna validation callback body against the live shop and prints every reason. Klarna is not
	 * answered and the decision log is not written.
	 *
	 * ## OPTIONS
	 *
	 * <file>
	 * : The raw JSON body Klarna sent ("-" reads standard input).
	 *
	 * [--session=<id>]
	 * : The WooCommerce session key (kco_session_id in the callback URL).
	 *
	 * [--format=<format>]
	 * : text or json.
	 * ---
	 * default: text
	 * options:
	 *   - text
	 *   - json
	 * ---
	 *
	 * ## EXIT STATUS
	 *
	 * 0 when approved, 1 when denied, 2 when the body could not be decided.
	 *
	 * @param list<string>          $args  Positional arguments.
	 * @param array<string, string> $assoc Options.
	 */
	public function replay( array $args, array $assoc ): void {
		$file = (string) ( $args[0] ?? '' );
		$body = '-' === $file ? file_get_contents( 'php://stdin' ) : ( is_file( $file ) && is_readable( $file ) ? file_get_contents( $file ) : false ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents
		if ( false === $body ) {
			\WP_CLI::error( sprintf( 'Cannot read %s.', $file ) );
			return;
		}
		$result = ( $this->factories['replay'] )()->run( $body, isset( $assoc['session'] ) ? (string) $assoc['session'] : null );
		if ( 'json' === ( $assoc['format'] ?? 'text' ) ) {
			\WP_CLI::line( (string) wp_json_encode( $result, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ) );
		} else {
			foreach ( Replay::lines( $result ) as $line ) {
				\WP_CLI::line( $line );
			}
		}
		\WP_CLI::halt( null !== $result['error'] ? 2 : ( $result['approved'] ? 0 : 1 ) );
	}

	/**
	 * Lists logged decisions, newest first.
	 *
	 * ## OPTIONS
	 *
	 * [--since=<date>]
	 * : Only decisions at or after this time (UTC; "2026-11-01", "2026-11-01 12:00" or "-7 days").
	 *
	 * [--outcome=<outcome>]
	 * : approved, denied, rejected, fault-approved or fault-denied.
	 *
	 * [--code=<code>]
	 * : Only decisions with this failure code.
	 *
	 * [--refusal=<reason>]
	 * : Only requests refused as not a valid callback for this reason: method, token, size or payload.
	 *
	 * Columns: wait_ms is what Klarna waited, from the request's arrival at PHP until the answer was handed to the web
	 * server (empty for rows logged before it was recorded); duration_ms is the plugin's own part.
	 *
	 * [--limit=<n>]
	 * : At most this many rows.
	 * ---
	 * default: 100
	 * ---
	 *
	 * [--format=<format>]
	 * : table, json or csv.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 *   - csv
	 * ---
	 *
	 * @param list<string>          $args  Positional arguments.
	 * @param array<string, string> $assoc Options.
	 */
	public function log( array $args, array $assoc ): void {
		$format = self::format_option( $assoc );
		if ( null === $format ) {
			return;
		}
		$outcome = isset( $assoc['outcome'] ) ? (string) $assoc['outcome'] : '';
		if ( '' !== $outcome && ! in_array( $outcome, DecisionLog::OUTCOMES, true ) ) {
			\WP_CLI::error( 'Unknown --outcome; use ' . implode( ', ', DecisionLog::OUTCOMES ) . '.' );
			return;
		}
		$since = self::since_option( $assoc );
		if ( null === $since ) {
			return;
		}
		$limit = max( 1, min( 500, (int) ( $assoc['limit'] ?? 100 ) ) );
		$page  = ( $this->factories['log'] )()->query(
			array(
				'outcome' => $outcome,
				'code'    => (string) ( $assoc['code'] ?? '' ),
				'refusal' => (string) ( $assoc['refusal'] ?? '' ),
				'since'   => $since,
			),
			1,
			$limit
		);
		$items = self::items( $page['rows'] );
		if ( 'table' === $format ) {
			\WP_CLI\Utils\format_items( 'table', $items, self::LOG_FIELDS );
			return;
		}
		\WP_CLI::line( 'json' === $format ? self::json( $items ) : self::csv( $items ) );
	}

	/**
	 * Lists or clears stock claims: what approved Klarna orders hold until WooCommerce creates their orders.
	 *
	 * ## OPTIONS
	 *
	 * [<action>]
	 * : list (default) or clear.
	 * ---
	 * default: list
	 * options:
	 *   - list
	 *   - clear
	 * ---
	 *
	 * [--order=<klarna-order-id>]
	 * : clear: only this Klarna order's claims.
	 *
	 * [--expired]
	 * : list: include expired claims; clear: only the expired ones.
	 *
	 * [--all]
	 * : clear: every claim (stock held for approved orders whose WooCommerce order does not exist yet is freed).
	 *
	 * [--limit=<n>]
	 * : list: at most this many rows.
	 * ---
	 * default: 100
	 * ---
	 *
	 * [--format=<format>]
	 * : list: table, json or csv.
	 * ---
	 * default: table
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     wp kco-validation claims
	 *     wp kco-validation claims clear --order=107afe44-4e7a-566e-96f9-96f73a1ebfc3
	 *     wp kco-validation claims clear --expired
	 *
	 * @param list<string>          $args  Positional arguments.
	 * @param array<string, string> $assoc Options.
	 */
	public function claims( array $args, array $assoc ): void {
		$action = (string) ( $args[0] ?? 'list' );
		if ( ! ClaimStore::installed() ) {
			\WP_CLI::error( 'The claims table is not installed yet (it is created when the plugin is activated or an admin page loads).' );
			return;
		}
		$store = ( $this->factories['claims'] )();
		if ( 'clear' === $action ) {
			$order = isset( $assoc['order'] ) ? trim( (string) $assoc['order'] ) : '';
			if ( '' === $order && ! isset( $assoc['expired'] ) && ! isset( $assoc['all'] ) ) {
				\WP_CLI::error( 'Say which claims to clear: --order=<klarna-order-id>, --expired or --all.' );
				return;
			}
			$n = $store->clear( '' === $order ? null : $order, '' === $order && isset( $assoc['expired'] ) && ! isset( $assoc['all'] ) );
			\WP_CLI::success( sprintf( 'Cleared %d claim(s).', $n ) );
			return;
		}
		if ( 'list' !== $action ) {
			\WP_CLI::error( 'Unknown action; use list or clear.' );
			return;
		}
		$format = self::format_option( $assoc );
		if ( null === $format ) {
			return;
		}
		$items = array_map(
			static fn ( array $row ): array => array( 'expired' => $row['expired'] ? 'yes' : 'no' ) + $row,
			$store->rows( isset( $assoc['expired'] ), max( 1, min( 10000, (int) ( $assoc['limit'] ?? 100 ) ) ) )
		);
		if ( 'table' === $format ) {
			\WP_CLI\Utils\format_items( 'table', $items, self::CLAIM_FIELDS );
			return;
		}
		\WP_CLI::line( 'json' === $format ? self::json( $items ) : self::csv( $items, self::CLAIM_FIELDS ) );
	}

	/**
	 * Lists what compare mode recorded, newest first, after a summary line: how many callbacks were compared with
	 * WooCommerce's own checks, how many agreed, disagreed, were skipped or failed, and against which WooCommerce
	 * versions. Each disagreement names the area (stock, purchasable, coupons, shipping, totals, needs_shipping),
	 * our codes and WooCommerce's, and WooCommerce's reasons. Turn compare mode on under WooCommerce › Settings ›
	 * Advanced › Klarna validation (option kco_validation_compare).
	 *
	 * ## OPTIONS
	 *
	 * [--since=<date>]
	 * : Only comparisons at or after this time (UTC; "2026-11-01", "2026-11-01 12:00" or "-7 days").
	 *
	 * [--status=<status>]
	 * : agree, disagree, skipped or error.
	 *
	 * [--limit=<n>]
	 * : At most this many rows.
	 * ---
	 * default: 100
	 * ---
	 *
	 * [--format=<format>]
	 * : table, json or csv (json: every row with its full detail).
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 *   - csv
	 * ---
	 *
	 * ## EXIT STATUS
	 *
	 * 0, or 1 when a listed comparison disagrees or failed.
	 *
	 * ## EXAMPLES
	 *
	 *     wp kco-validation compare --status=disagree --since="-7 days"
	 *
	 * @param list<string>          $args  Positional arguments.
	 * @param array<string, string> $assoc Options.
	 */
	public function compare( array $args, array $assoc ): void {
		$format = self::format_option( $assoc );
		if ( null === $format ) {
			return;
		}
		$status = isset( $assoc['status'] ) ? (string) $assoc['status'] : '';
		if ( '' !== $status && ! in_array( $status, CompareLog::STATUSES, true ) ) {
			\WP_CLI::error( 'Unknown --status; use ' . implode( ', ', CompareLog::STATUSES ) . '.' );
			return;
		}
		$since = self::since_option( $assoc );
		if ( null === $since ) {
			return;
		}
		$limit   = max( 1, min( 500, (int) ( $assoc['limit'] ?? 100 ) ) );
		$log     = ( $this->factories['compare'] )();
		$page    = $log->query(
			array(
				'status' => $status,
				'since'  => $since,
			),
			1,
			$limit
		);
		$summary = $log->summary( $since );
		if ( 'json' === $format ) {
			\WP_CLI::line(
				(string) wp_json_encode(
					array(
						'enabled' => CompareMode::enabled(),
						'summary' => $summary,
						'rows'    => $page['rows'],
					),
					JSON_UNESCAPED_SLASHES
				)
			);
		} else {
			$items = self::compare_items( $page['rows'] );
			if ( 'table' === $format ) {
				\WP_CLI::line( self::compare_summary( $summary, CompareMode::enabled(), '' === $since ? '' : $since . ' UTC' ) );
				\WP_CLI\Utils\format_items( 'table', $items, self::COMPARE_FIELDS );
			} else {
				\WP_CLI::line( self::csv( $items, self::COMPARE_FIELDS ) );
			}
		}
		foreach ( $page['rows'] as $row ) {
			if ( in_array( $row['status'], array( 'disagree', 'error' ), true ) ) {
				\WP_CLI::halt( 1 );
			}
		}
	}

	/**
	 * The summary line of `compare`.
	 *
	 * @param array{total: int, counts: array<string, int>, versions: list<string>} $summary CompareLog::summary().
	 * @param bool                                                                    $enabled Whether compare mode is on.
	 * @param string                                                                  $since   Since when ('' = all).
	 */
	public static function compare_summary( array $summary, bool $enabled, string $since = '' ): string {
		return sprintf(
			'Compare mode is %s. %d compared%s: %d agree, %d disagree, %d skipped, %d errors%s.',
			$enabled ? 'on' : 'off',
			$summary['total'],
			'' === $since ? '' : ' since ' . $since,
			$summary['counts']['agree'] ?? 0,
			$summary['counts']['disagree'] ?? 0,
			$summary['counts']['skipped'] ?? 0,
			$summary['counts']['error'] ?? 0,
			array() === $summary['versions'] ? '' : ' (WooCommerce ' . implode( ', ', $summary['versions'] ) . ')'
		);
	}

	/**
	 * Comparison rows as flat items: lists joined with spaces, a disagreement's areas, WooCommerce's reasons and
	 * why a row was skipped or failed.
	 *
	 * @param list<array<string, mixed>> $rows CompareLog rows.
	 * @return list<array<string, string>>
	 */
	public static function compare_items( array $rows ): array {
		return array_map(
			static function ( array $row ): array {
				$reasons = array();
				foreach ( (array) ( $row['detail']['woocommerce_reasons'] ?? array() ) as $code => $list ) {
					$reasons[] = $code . ( array() === (array) $list ? '' : '(' . implode( ' ', (array) $list ) . ')' );
				}
				if ( isset( $row['detail']['skipped'] ) ) {
					$reasons[] = 'skipped: ' . $row['detail']['skipped'];
				}
				if ( isset( $row['detail']['error'] ) ) {
					$reasons[] = 'error: ' . $row['detail']['error'] . ' at ' . ( $row['detail']['where'] ?? '?' );
				}
				$disagreements = array();
				foreach ( (array) ( $row['detail']['disagreements'] ?? array() ) as $d ) {
					$disagreements[] = sprintf( '%s: ours %s, woocommerce %s', (string) ( $d['area'] ?? '?' ), implode( '+', (array) ( $d['ours'] ?? array() ) ) ?: '-', implode( '+', (array) ( $d['woocommerce'] ?? array() ) ) ?: '-' );
				}
				return array(
					'created_at'          => (string) $row['created_at'],
					'klarna_order_id'     => (string) $row['klarna_order_id'],
					'wc_version'          => (string) $row['wc_version'],
					'status'              => (string) $row['status'],
					'areas'               => implode( ' ', $row['areas'] ),
					'disagreements'       => implode( '; ', $disagreements ),
					'ours'                => implode( ' ', $row['ours'] ),
					'woocommerce'         => implode( ' ', $row['woocommerce'] ),
					'woocommerce_reasons' => implode( ' ', $reasons ),
				);
			},
			$rows
		);
	}

	/**
	 * Log rows as flat items (codes joined with spaces).
	 *
	 * @param list<array<string, mixed>> $rows DecisionLog rows.
	 * @return list<array<string, string|int|float>>
	 */
	public static function items( array $rows ): array {
		return array_map(
			static fn ( array $row ): array => array(
				'created_at'      => $row['created_at'],
				'klarna_order_id' => $row['klarna_order_id'],
				'outcome'         => $row['outcome'],
				'codes'           => implode( ' ', $row['codes'] ),
				'wait_ms'         => null === ( $row['wait_ms'] ?? null ) ? '' : $row['wait_ms'],
				'duration_ms'     => $row['duration_ms'],
				'status_sent'     => $row['status_sent'],
				'claimed'         => $row['claimed'] ?? 0,
			),
			$rows
		);
	}

	/**
	 * Items as a JSON array.
	 *
	 * @param list<array<string, mixed>> $items Items.
	 */
	public static function json( array $items ): string {
		return (string) wp_json_encode( $items, JSON_UNESCAPED_SLASHES );
	}

	/**
	 * Items as CSV with a header line (RFC 4180 quoting).
	 *
	 * @param list<array<string, mixed>> $items  Items.
	 * @param list<string>|null          $fields Columns (default: the log's).
	 */
	public static function csv( array $items, ?array $fields = null ): string {
		$fields = $fields ?? self::LOG_FIELDS;
		$handle = fopen( 'php://temp', 'r+b' ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fopen
		fputcsv( $handle, $fields, ',', '"', '' );
		foreach ( $items as $item ) {
			fputcsv( $handle, array_map( static fn ( string $f ) => (string) $item[ $f ], $fields ), ',', '"', '' );
		}
		rewind( $handle );
		$csv = (string) stream_get_contents( $handle );
		fclose( $handle ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fclose
		return rtrim( $csv, "\n" );
	}

	/**
	 * The --format option (table, json or csv), or null after an error.
	 *
	 * @param array<string, string> $assoc Options.
	 */
	private static function format_option( array $assoc ): ?string {
		$format = (string) ( $assoc['format'] ?? 'table' );
		if ( ! in_array( $format, array( 'table', 'json', 'csv' ), true ) ) {
			\WP_CLI::error( 'Unknown --format; use table, json or csv.' );
			return null;
		}
		return $format;
	}

	/**
	 * The --since option as a UTC datetime ('' when absent), or null after an error. Read as UTC first, then in the
	 * server's zone (relative forms such as "-7 days").
	 *
	 * @param array<string, string> $assoc Options.
	 */
	private static function since_option( array $assoc ): ?string {
		if ( ! isset( $assoc['since'] ) ) {
			return '';
		}
		$time = strtotime( (string) $assoc['since'] . ' UTC' );
		if ( false === $time ) {
			$time = strtotime( (string) $assoc['since'] );
		}
		if ( false === $time ) {
			\WP_CLI::error( 'Cannot read --since.' );
			return null;
		}
		return gmdate( 'Y-m-d H:i:s', $time );
	}
}
