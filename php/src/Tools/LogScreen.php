<?php
/**
 * WooCommerce › Klarna validation: the decision log, its chart, the doctor and replay.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools;

use KcoValidation\Plugin\Tools\Compare\CompareLog;
use KcoValidation\Plugin\Tools\Compare\CompareMode;

defined( 'ABSPATH' ) || exit;

/**
 * The admin screen. Reading needs manage_woocommerce; "Check now" and "Replay" are POSTs with their own nonces.
 * Everything is escaped where it is printed.
 */
class LogScreen {

	/** Page slug. */
	const SLUG = 'kco-validation-log';

	/** Capability. */
	const CAPABILITY = 'manage_woocommerce';

	/** Nonce actions. */
	const NONCE_REPLAY = 'kco_validation_replay';
	const NONCE_DOCTOR = 'kco_validation_doctor';

	/** Rows per page. */
	const PER_PAGE = 25;

	/** Days in the chart. */
	const CHART_DAYS = 14;

	/** The page's hook suffix once registered. */
	private string $hook = '';

	/**
	 * Factories (tests replace them).
	 *
	 * @var array{log: callable(): DecisionLog, replay: callable(): Replay, doctor: callable(): Doctor, compare: callable(): CompareLog}
	 */
	private array $factories;

	/** Comparisons listed. */
	const COMPARE_ROWS = 25;

	/**
	 * Constructor.
	 *
	 * @param array<string, callable> $factories log, replay, doctor, compare.
	 */
	public function __construct( array $factories = array() ) {
		$this->factories = $factories + array(
			'log'     => static fn (): DecisionLog => new DecisionLog(),
			'replay'  => static fn (): Replay => Replay::create(),
			'doctor'  => static fn (): Doctor => new Doctor(),
			'compare' => static fn (): CompareLog => new CompareLog(),
		);
	}

	/**
	 * Adds the submenu under WooCommerce (admin_menu).
	 */
	public function add_menu(): void {
		$hook       = add_submenu_page(
			'woocommerce',
			__( 'Klarna validation log', 'kco-validation' ),
			__( 'Klarna validation', 'kco-validation' ),
			self::CAPABILITY,
			self::SLUG,
			array( $this, 'render' )
		);
		$this->hook = is_string( $hook ) ? $hook : '';
	}

	/**
	 * Enqueues the stylesheet on this screen only (admin_enqueue_scripts).
	 *
	 * @param string $hook_suffix Current screen's hook.
	 */
	public function enqueue( $hook_suffix ): void {
		if ( '' === $this->hook || $hook_suffix !== $this->hook || ! defined( 'KCO_VALIDATION_PLUGIN_FILE' ) ) {
			return;
		}
		wp_enqueue_style( 'kco-validation-log', plugins_url( 'assets/log-screen.css', KCO_VALIDATION_PLUGIN_FILE ), array(), defined( 'KCO_VALIDATION_PLUGIN_VERSION' ) ? KCO_VALIDATION_PLUGIN_VERSION : false );
	}

	/**
	 * Prints the screen (the submenu callback).
	 */
	public function render(): void {
		// phpcs:ignore WordPress.Security.NonceVerification -- read-only filters from GET; POST actions verify their nonce in html().
		echo $this->html( wp_unslash( $_GET ), wp_unslash( $_POST ), isset( $_SERVER['REQUEST_METHOD'] ) && 'POST' === $_SERVER['REQUEST_METHOD'] ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- html() escapes every value it prints.
	}

	/**
	 * The screen's HTML.
	 *
	 * @param array<string, mixed> $get     Query arguments (unslashed).
	 * @param array<string, mixed> $post    POST fields (unslashed).
	 * @param bool                 $is_post Whether this is a POST.
	 * @param int|null             $now     Unix time (tests).
	 */
	public function html( array $get, array $post = array(), bool $is_post = false, ?int $now = null ): string {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			return '<div class="wrap"><p>' . esc_html__( 'Sorry, you are not allowed to view the Klarna validation log.', 'kco-validation' ) . '</p></div>';
		}
		$log     = ( $this->factories['log'] )();
		$outcome = isset( $get['outcome'] ) && is_string( $get['outcome'] ) && in_array( $get['outcome'], DecisionLog::OUTCOMES, true ) ? $get['outcome'] : '';
		$code    = isset( $get['code'] ) && is_string( $get['code'] ) ? sanitize_key( $get['code'] ) : '';
		$refusal = isset( $get['refusal'] ) && is_string( $get['refusal'] ) && in_array( $get['refusal'], DecisionLog::REFUSALS, true ) ? $get['refusal'] : '';
		$paged   = isset( $get['paged'] ) && is_numeric( $get['paged'] ) ? max( 1, (int) $get['paged'] ) : 1;
		// One set of filters for the table and the chart.
		$chosen = array(
			'outcome' => $outcome,
			'code'    => $code,
			'refusal' => $refusal,
		);
		$page   = $log->query( $chosen, $paged, self::PER_PAGE );

		$out   = array();
		$out[] = '<div class="wrap kco-validation-log">';
		$out[] = '<h1>' . esc_html__( 'Klarna validation log', 'kco-validation' ) . '</h1>';
		$out[] = $this->action_results( $post, $is_post );

		$out[] = '<h2>' . esc_html(
			sprintf(
				/* translators: %d: days */
				__( 'Last %d days', 'kco-validation' ),
				self::CHART_DAYS
			)
		) . '</h2>';
		$out[] = $this->filters( $outcome, $code, $log->codes(), $refusal, $log->refusals() );
		$out[] = '<div class="kco-chart-wrap">' . Chart::svg( $log->daily( self::CHART_DAYS, $now, $chosen ) ) . Chart::legend() . '</div>';
		$out[] = '<p class="kco-times-note">' . esc_html__( 'Klarna\'s wait: from the request\'s arrival at PHP until the answer was handed to the web server (Klarna also waits for the network and the server\'s queue). Our part: the plugin\'s own handling, from its start to the decision. The chart\'s 95th percentile is of Klarna\'s wait, against the 3 seconds Klarna allows; decisions logged before Klarna\'s wait was recorded count with our part.', 'kco-validation' ) . '</p>';
		$out[] = $this->table( $page['rows'] );
		$out[] = $this->paging( $page, $outcome, $code, $refusal );
		$out[] = $this->compare_panel( $now );
		$out[] = $this->doctor_form();
		$out[] = $this->replay_form( $post );
		$out[] = '</div>';
		return implode( "\n", array_filter( $out, static fn ( $part ) => '' !== $part ) );
	}

	/**
	 * Runs a POSTed action (nonce and capability checked) and returns its result's HTML.
	 *
	 * @param array<string, mixed> $post    POST fields.
	 * @param bool                 $is_post Whether this is a POST.
	 */
	private function action_results( array $post, bool $is_post ): string {
		if ( ! $is_post ) {
			return '';
		}
		$nonce = isset( $post['_wpnonce'] ) && is_string( $post['_wpnonce'] ) ? $post['_wpnonce'] : '';
		if ( isset( $post['kco_validation_replay'] ) ) {
			if ( ! wp_verify_nonce( $nonce, self::NONCE_REPLAY ) ) {
				return self::notice( 'error', __( 'The replay form expired; reload the page and try again.', 'kco-validation' ) );
			}
			$body    = isset( $post['kco_body'] ) && is_string( $post['kco_body'] ) ? $post['kco_body'] : '';
			$session = isset( $post['kco_session'] ) && is_string( $post['kco_session'] ) ? trim( $post['kco_session'] ) : '';
			$result  = ( $this->factories['replay'] )()->run( $body, '' === $session ? null : $session );
			$type    = null !== $result['error'] ? 'error' : ( $result['approved'] ? 'success' : 'warning' );
			return '<div class="notice notice-' . esc_attr( $type ) . ' kco-replay-result"><p><strong>' . esc_html__( 'Replay (Klarna was not answered, nothing was logged):', 'kco-validation' ) . '</strong></p><pre class="kco-result">' . esc_html( implode( "\n", Replay::lines( $result ) ) ) . '</pre></div>';
		}
		if ( isset( $post['kco_validation_doctor'] ) ) {
			if ( ! wp_verify_nonce( $nonce, self::NONCE_DOCTOR ) ) {
				return self::notice( 'error', __( 'The check form expired; reload the page and try again.', 'kco-validation' ) );
			}
			$diagnosis = ( $this->factories['doctor'] )()->run();
			return '<div class="notice notice-' . esc_attr( $diagnosis->ok() ? 'success' : 'error' ) . ' kco-doctor-result"><pre class="kco-result">' . esc_html( implode( "\n", $diagnosis->lines() ) ) . '</pre></div>';
		}
		return '';
	}

	/**
	 * The filter form (GET).
	 *
	 * @param string       $outcome Current outcome.
	 * @param string       $code    Current code.
	 * @param list<string> $codes   Codes seen.
	 * @param string       $refusal Current refusal reason.
	 * @param list<string> $refusals Refusal reasons seen.
	 */
	private function filters( string $outcome, string $code, array $codes, string $refusal = '', array $refusals = array() ): string {
		$html  = '<form method="get" class="kco-filters"><input type="hidden" name="page" value="' . esc_attr( self::SLUG ) . '" />';
		$html .= '<label for="kco-outcome">' . esc_html__( 'Outcome', 'kco-validation' ) . '</label> <select id="kco-outcome" name="outcome"><option value="">' . esc_html__( 'All', 'kco-validation' ) . '</option>';
		foreach ( DecisionLog::OUTCOMES as $value ) {
			$html .= '<option value="' . esc_attr( $value ) . '"' . ( $value === $outcome ? ' selected="selected"' : '' ) . '>' . esc_html( $value ) . '</option>';
		}
		$html .= '</select> <label for="kco-code">' . esc_html__( 'Code', 'kco-validation' ) . '</label> <select id="kco-code" name="code"><option value="">' . esc_html__( 'All', 'kco-validation' ) . '</option>';
		foreach ( $codes as $value ) {
			$html .= '<option value="' . esc_attr( $value ) . '"' . ( $value === $code ? ' selected="selected"' : '' ) . '>' . esc_html( $value ) . '</option>';
		}
		// Refusals (a request that is not a valid callback) are not failure codes: their own list.
		$html .= '</select> <label for="kco-refusal">' . esc_html__( 'Refused as', 'kco-validation' ) . '</label> <select id="kco-refusal" name="refusal"><option value="">' . esc_html__( 'All', 'kco-validation' ) . '</option>';
		foreach ( array_values( array_unique( array_merge( $refusals, '' === $refusal ? array() : array( $refusal ) ) ) ) as $value ) {
			$html .= '<option value="' . esc_attr( $value ) . '"' . ( $value === $refusal ? ' selected="selected"' : '' ) . '>' . esc_html( $value ) . '</option>';
		}
		$html .= '</select> <button type="submit" class="button">' . esc_html__( 'Filter', 'kco-validation' ) . '</button></form>';
		return $html;
	}

	/**
	 * The rows.
	 *
	 * @param list<array<string, mixed>> $rows Rows.
	 */
	private function table( array $rows ): string {
		$head = array(
			__( 'Time (UTC)', 'kco-validation' ),
			__( 'Klarna order', 'kco-validation' ),
			__( 'Outcome', 'kco-validation' ),
			__( 'Codes', 'kco-validation' ),
			__( 'Klarna\'s wait', 'kco-validation' ),
			__( 'Our part', 'kco-validation' ),
			__( 'Status sent', 'kco-validation' ),
		);
		$html = '<table class="wp-list-table widefat fixed striped kco-log-table"><thead><tr>';
		foreach ( $head as $label ) {
			$html .= '<th scope="col">' . esc_html( $label ) . '</th>';
		}
		$html .= '</tr></thead><tbody>';
		if ( array() === $rows ) {
			$html .= '<tr class="no-items"><td colspan="7">' . esc_html__( 'No decisions logged yet.', 'kco-validation' ) . '</td></tr>';
		}
		foreach ( $rows as $row ) {
			$codes = array_map( static fn ( string $c ): string => '<code class="kco-code">' . esc_html( $c ) . '</code>', $row['codes'] );
			$html .= '<tr class="kco-log-row" data-id="' . esc_attr( (string) $row['id'] ) . '">'
				. '<td>' . esc_html( $row['created_at'] ) . '</td>'
				. '<td class="kco-order-cell"><code class="kco-order-id">' . esc_html( '' === $row['klarna_order_id'] ? '-' : $row['klarna_order_id'] ) . '</code></td>'
				. '<td><span class="kco-outcome kco-outcome-' . esc_attr( $row['outcome'] ) . '">' . esc_html( $row['outcome'] ) . '</span></td>'
				. '<td>' . ( array() === $codes ? '&ndash;' : implode( ' ', $codes ) ) . '</td>'
				. '<td class="kco-wait">' . ( null === ( $row['wait_ms'] ?? null ) ? '&ndash;' : esc_html( number_format( (float) $row['wait_ms'], 1, '.', '' ) . ' ms' ) ) . '</td>'
				. '<td class="kco-own">' . esc_html( number_format( (float) $row['duration_ms'], 1, '.', '' ) . ' ms' ) . '</td>'
				. '<td>' . esc_html( (string) $row['status_sent'] ) . '</td>'
				. '</tr>';
		}
		return $html . '</tbody></table>';
	}

	/**
	 * Page links.
	 *
	 * @param array{total: int, pages: int, page: int} $page    Paging.
	 * @param string                                   $outcome Outcome filter.
	 * @param string                                   $code    Code filter.
	 * @param string                                   $refusal Refusal filter.
	 */
	private function paging( array $page, string $outcome, string $code, string $refusal = '' ): string {
		$args = array_filter(
			array(
				'page'    => self::SLUG,
				'outcome' => $outcome,
				'code'    => $code,
				'refusal' => $refusal,
			)
		);
		$base = admin_url( 'admin.php' );
		$html = '<div class="tablenav kco-paging"><span class="displaying-num">' . esc_html(
			sprintf(
				/* translators: 1: decisions, 2: page, 3: pages */
				__( '%1$d decisions, page %2$d of %3$d', 'kco-validation' ),
				$page['total'],
				$page['page'],
				$page['pages']
			)
		) . '</span> ';
		if ( $page['page'] > 1 ) {
			$html .= '<a class="button prev-page" href="' . esc_url( add_query_arg( $args + array( 'paged' => $page['page'] - 1 ), $base ) ) . '">' . esc_html__( '‹ Newer', 'kco-validation' ) . '</a> ';
		}
		if ( $page['page'] < $page['pages'] ) {
			$html .= '<a class="button next-page" href="' . esc_url( add_query_arg( $args + array( 'paged' => $page['page'] + 1 ), $base ) ) . '">' . esc_html__( 'Older ›', 'kco-validation' ) . '</a>';
		}
		return $html . '</div>';
	}

	/**
	 * Compare mode: on or off, the counts of the last CHART_DAYS days, and the latest disagreements and faults.
	 *
	 * @param int|null $now Unix time (tests).
	 */
	private function compare_panel( ?int $now ): string {
		$compare = ( $this->factories['compare'] )();
		$since   = gmdate( 'Y-m-d H:i:s', ( $now ?? time() ) - self::CHART_DAYS * DAY_IN_SECONDS );
		$summary = $compare->summary( $since );
		$enabled = CompareMode::enabled();
		$html    = '<div class="kco-panel kco-compare"><h2>' . esc_html__( 'Compared with WooCommerce', 'kco-validation' ) . '</h2>';
		$html   .= '<p class="kco-compare-state">' . ( $enabled
			? esc_html__( 'Compare mode is on: after each answer has been sent, WooCommerce\'s own checks run on the shopper\'s cart and every disagreement with the answer is listed here.', 'kco-validation' )
			: esc_html__( 'Compare mode is off. Switch it on under WooCommerce › Settings › Advanced › Klarna validation to check each answer against WooCommerce\'s own checks.', 'kco-validation' ) ) . '</p>';
		$html   .= '<p class="kco-compare-summary">' . esc_html(
			sprintf(
				/* translators: 1: days, 2: compared, 3: agree, 4: disagree, 5: skipped, 6: errors */
				__( 'Last %1$d days: %2$d compared, %3$d agree, %4$d disagree, %5$d skipped, %6$d errors.', 'kco-validation' ),
				self::CHART_DAYS,
				$summary['total'],
				$summary['counts']['agree'],
				$summary['counts']['disagree'],
				$summary['counts']['skipped'],
				$summary['counts']['error']
			)
		) . ( array() === $summary['versions'] ? '' : ' ' . esc_html(
			sprintf(
				/* translators: %s: WooCommerce versions */
				__( 'WooCommerce %s.', 'kco-validation' ),
				implode( ', ', $summary['versions'] )
			)
		) ) . '</p>';
		$rows = array_merge(
			$compare->query( array( 'status' => 'disagree' ), 1, self::COMPARE_ROWS )['rows'],
			$compare->query( array( 'status' => 'error' ), 1, self::COMPARE_ROWS )['rows']
		);
		usort( $rows, static fn ( array $a, array $b ): int => array( $b['created_at'], $b['id'] ) <=> array( $a['created_at'], $a['id'] ) );
		$rows = array_slice( $rows, 0, self::COMPARE_ROWS );
		if ( array() === $rows ) {
			return $html . '</div>';
		}
		$head = array(
			__( 'Time (UTC)', 'kco-validation' ),
			__( 'Klarna order', 'kco-validation' ),
			__( 'WooCommerce', 'kco-validation' ),
			__( 'Where', 'kco-validation' ),
			__( 'Our codes', 'kco-validation' ),
			__( 'WooCommerce\'s codes', 'kco-validation' ),
			__( 'WooCommerce\'s reasons', 'kco-validation' ),
		);
		$html .= '<table class="wp-list-table widefat fixed striped kco-compare-table"><thead><tr>';
		foreach ( $head as $label ) {
			$html .= '<th scope="col">' . esc_html( $label ) . '</th>';
		}
		$html .= '</tr></thead><tbody>';
		$code  = static fn ( string $c ): string => '<code class="kco-code">' . esc_html( $c ) . '</code>';
		foreach ( CliCommand::compare_items( $rows ) as $i => $item ) {
			$html .= '<tr class="kco-compare-row kco-compare-' . esc_attr( $item['status'] ) . '" data-id="' . esc_attr( (string) $rows[ $i ]['id'] ) . '">'
				. '<td>' . esc_html( $item['created_at'] ) . '</td>'
				. '<td><code>' . esc_html( '' === $item['klarna_order_id'] ? '-' : $item['klarna_order_id'] ) . '</code></td>'
				. '<td>' . esc_html( $item['wc_version'] ) . '</td>'
				. '<td>' . ( 'error' === $item['status'] ? esc_html__( 'could not compare', 'kco-validation' ) : esc_html( $item['disagreements'] ) ) . '</td>'
				. '<td>' . ( '' === $item['ours'] ? '&ndash;' : implode( ' ', array_map( $code, explode( ' ', $item['ours'] ) ) ) ) . '</td>'
				. '<td>' . ( '' === $item['woocommerce'] ? '&ndash;' : implode( ' ', array_map( $code, explode( ' ', $item['woocommerce'] ) ) ) ) . '</td>'
				. '<td>' . esc_html( $item['woocommerce_reasons'] ) . '</td>'
				. '</tr>';
		}
		return $html . '</tbody></table></div>';
	}

	/**
	 * "Check now" (the doctor).
	 */
	private function doctor_form(): string {
		return '<div class="kco-panel"><h2>' . esc_html__( 'Can Klarna reach this shop?', 'kco-validation' ) . '</h2><p>' . esc_html__( 'Sends a signed test request to the shop\'s public validation URL, as Klarna would, and explains what stands in the way.', 'kco-validation' ) . '</p>'
			. '<form method="post">' . wp_nonce_field( self::NONCE_DOCTOR, '_wpnonce', true, false ) . '<input type="hidden" name="kco_validation_doctor" value="1" /><button type="submit" class="button button-secondary">' . esc_html__( 'Check now', 'kco-validation' ) . '</button></form></div>';
	}

	/**
	 * The replay form.
	 *
	 * @param array<string, mixed> $post POST fields (to keep the pasted body).
	 */
	private function replay_form( array $post ): string {
		$body    = isset( $post['kco_body'] ) && is_string( $post['kco_body'] ) ? $post['kco_body'] : '';
		$session = isset( $post['kco_session'] ) && is_string( $post['kco_session'] ) ? $post['kco_session'] : '';
		return '<div class="kco-panel"><h2>' . esc_html__( 'Replay a callback', 'kco-validation' ) . '</h2><p>' . esc_html__( 'Paste the body Klarna sent (from Klarna\'s merchant portal logs) to see what the shop decides now and why. Klarna is not answered and nothing is logged.', 'kco-validation' ) . '</p>'
			. '<form method="post">' . wp_nonce_field( self::NONCE_REPLAY, '_wpnonce', true, false )
			. '<input type="hidden" name="kco_validation_replay" value="1" />'
			. '<p><label for="kco-body">' . esc_html__( 'Klarna order JSON', 'kco-validation' ) . '</label><br /><textarea id="kco-body" name="kco_body" rows="8">' . esc_textarea( $body ) . '</textarea></p>'
			. '<p><label for="kco-session">' . esc_html__( 'Session key (kco_session_id, optional)', 'kco-validation' ) . '</label> <input type="text" id="kco-session" name="kco_session" class="regular-text" value="' . esc_attr( $session ) . '" /></p>'
			. '<p><button type="submit" class="button button-primary">' . esc_html__( 'Replay', 'kco-validation' ) . '</button></p></form></div>';
	}

	/**
	 * An admin notice.
	 *
	 * @param string $type    error | warning | success | info.
	 * @param string $message Text.
	 */
	private static function notice( string $type, string $message ): string {
		return '<div class="notice notice-' . esc_attr( $type ) . '"><p>' . esc_html( $message ) . '</p></div>';
	}
}
