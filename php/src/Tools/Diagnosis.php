<?php
/**
 * What the doctor found: a state, the likely blocker, and what to do.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools;

defined( 'ABSPATH' ) || exit;

/**
 * Value object returned by ProbeClassifier::classify().
 */
final class Diagnosis {

	/** The states, in no particular order. */
	const STATES = array( 'reachable', 'blocked', 'not_found', 'redirected', 'not_https', 'extension_missing', 'extension_incompatible', 'unreachable' );

	/** Klarna's time budget for the validation callback, in milliseconds. */
	const KLARNA_BUDGET_MS = 3000;

	/** One of STATES. */
	public string $state;

	/** cloudflare | sucuri | wordfence | ithemes | aiowps | unknown, or null when nothing blocks. */
	public ?string $blocker;

	/** What was seen that names the blocker (e.g. "header cf-ray"), or ''. */
	public string $evidence;

	/** One-line summary. */
	public string $summary;

	/** Plain-words explanation. */
	public string $explanation;

	/** What to change ('' when nothing). */
	public string $fix;

	/** Time until the answer (or the failure), in milliseconds. */
	public float $elapsed_ms;

	/** HTTP status received, or null without an answer. */
	public ?int $status;

	/** The URL probed. */
	public string $url;

	/** Redirect target, when redirected. */
	public ?string $location;

	/** Kind of redirect: https | trailing_slash | host | login | other, or null. */
	public ?string $redirect_kind;

	/** Extension version the probe answer named, or null. */
	public ?string $extension;

	/**
	 * Constructor.
	 *
	 * @param array<string, mixed> $values Property values.
	 */
	public function __construct( array $values ) {
		$this->state         = (string) $values['state'];
		$this->blocker       = isset( $values['blocker'] ) ? (string) $values['blocker'] : null;
		$this->evidence      = (string) ( $values['evidence'] ?? '' );
		$this->summary       = (string) ( $values['summary'] ?? '' );
		$this->explanation   = (string) ( $values['explanation'] ?? '' );
		$this->fix           = (string) ( $values['fix'] ?? '' );
		$this->elapsed_ms    = (float) ( $values['elapsed_ms'] ?? 0 );
		$this->status        = isset( $values['status'] ) ? (int) $values['status'] : null;
		$this->url           = (string) ( $values['url'] ?? '' );
		$this->location      = isset( $values['location'] ) ? (string) $values['location'] : null;
		$this->redirect_kind = isset( $values['redirect_kind'] ) ? (string) $values['redirect_kind'] : null;
		$this->extension     = isset( $values['extension'] ) ? (string) $values['extension'] : null;
	}

	/**
	 * Whether Klarna's callbacks reach the decision.
	 */
	public function ok(): bool {
		return 'reachable' === $this->state;
	}

	/**
	 * Whether the answer took longer than Klarna waits.
	 */
	public function slow(): bool {
		return $this->elapsed_ms > self::KLARNA_BUDGET_MS;
	}

	/**
	 * As an array (JSON output, Site Health).
	 *
	 * @return array<string, mixed>
	 */
	public function to_array(): array {
		return get_object_vars( $this );
	}

	/**
	 * Plain-text lines for a terminal.
	 *
	 * @return list<string>
	 */
	public function lines(): array {
		$lines = array(
			sprintf( 'state:    %s', $this->state ),
			sprintf( 'url:      %s', $this->url ),
			sprintf( 'status:   %s', null === $this->status ? '-' : (string) $this->status ),
			sprintf( 'time:     %d ms (Klarna waits %d ms)', (int) round( $this->elapsed_ms ), self::KLARNA_BUDGET_MS ),
		);
		if ( null !== $this->blocker ) {
			$lines[] = sprintf( 'blocker:  %s%s', $this->blocker, '' !== $this->evidence ? ' (' . $this->evidence . ')' : '' );
		}
		if ( null !== $this->location ) {
			$lines[] = sprintf( 'redirect: %s -> %s', (string) $this->redirect_kind, $this->location );
		}
		if ( null !== $this->extension ) {
			$lines[] = sprintf( 'extension: %s', $this->extension );
		}
		$lines[] = '';
		$lines[] = $this->summary;
		$lines[] = $this->explanation;
		if ( '' !== $this->fix ) {
			$lines[] = '';
			$lines[] = 'Fix: ' . $this->fix;
		}
		return $lines;
	}
}
