<?php
/**
 * `wp kco-validation doctor|replay|log`.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools;

defined( 'ABSPATH' ) || exit;

/**
 * Diagnoses Klarna's validation callback, replays saved callbacks and reads the decision log.
 *
 * Registered only when WP-CLI runs (ToolsBootstrap). Each subcommand is a thin shell over Doctor, Replay and
 * DecisionLog, which are tested on their own.
 */
class CliCommand {

	/** Columns of `log`. */
	const LOG_FIELDS = array( 'created_at', 'klarna_order_id', 'outcome', 'codes', 'duration_ms', 'status_sent' );

	/**
	 * Factories (tests replace them).
	 *
	 * @var array{doctor: callable(): Doctor, replay: callable(): Replay, log: callable(): DecisionLog}
	 */
	private array $factories;

	/**
	 * Constructor.
	 *
	 * @param array<string, callable> $factories doctor, replay, log.
	 */
	public function __construct( array $factories = array() ) {
		$this->factories = $factories + array(
			'doctor' => static fn (): Doctor => new Doctor(),
			'replay' => static fn (): Replay => Replay::create(),
			'log'    => static fn (): DecisionLog => new DecisionLog(),
		);
	}

	/**
	 * Sends a signed probe to the shop's public validation URL and explains what stands in Klarna's way.
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
		$format = (string) ( $assoc['format'] ?? 'table' );
		if ( ! in_array( $format, array( 'table', 'json', 'csv' ), true ) ) {
			\WP_CLI::error( 'Unknown --format; use table, json or csv.' );
			return;
		}
		$outcome = isset( $assoc['outcome'] ) ? (string) $assoc['outcome'] : '';
		if ( '' !== $outcome && ! in_array( $outcome, DecisionLog::OUTCOMES, true ) ) {
			\WP_CLI::error( 'Unknown --outcome; use ' . implode( ', ', DecisionLog::OUTCOMES ) . '.' );
			return;
		}
		$since = '';
		if ( isset( $assoc['since'] ) ) {
			$time = strtotime( (string) $assoc['since'] . ' UTC' );
			if ( false === $time ) {
				$time = strtotime( (string) $assoc['since'] );
			}
			if ( false === $time ) {
				\WP_CLI::error( 'Cannot read --since.' );
				return;
			}
			$since = gmdate( 'Y-m-d H:i:s', $time );
		}
		$limit = max( 1, min( 500, (int) ( $assoc['limit'] ?? 100 ) ) );
		$page  = ( $this->factories['log'] )()->query(
			array(
				'outcome' => $outcome,
				'code'    => (string) ( $assoc['code'] ?? '' ),
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
				'duration_ms'     => $row['duration_ms'],
				'status_sent'     => $row['status_sent'],
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
	 * @param list<array<string, mixed>> $items Items.
	 */
	public static function csv( array $items ): string {
		$handle = fopen( 'php://temp', 'r+b' ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fopen
		fputcsv( $handle, self::LOG_FIELDS, ',', '"', '' );
		foreach ( $items as $item ) {
			fputcsv( $handle, array_map( static fn ( string $f ) => (string) $item[ $f ], self::LOG_FIELDS ), ',', '"', '' );
		}
		rewind( $handle );
		$csv = (string) stream_get_contents( $handle );
		fclose( $handle ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fclose
		return rtrim( $csv, "\n" );
	}
}
