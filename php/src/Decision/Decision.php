<?php
/**
 * One decision: the verdict as answered, and what it was decided on.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Decision;

defined( 'ABSPATH' ) || exit;

/**
 * What Decider returns: the verdict (docs/contract.md §2, after the `kco_validation_verdict` filter, its answer
 * built by the extension), the snapshot it was decided on, and the session it restored.
 */
final class Decision {

	/**
	 * The verdict: approved, codes, failures, flag, response.
	 *
	 * @var array{approved: bool, codes: list<string>, failures: list<array<string, mixed>>, flag: string|null, response: array{status: int, location: string|null, content_type: string|null, body: string}}
	 */
	public array $verdict;

	/**
	 * The snapshot.
	 *
	 * @var array<string, mixed>
	 */
	public array $snapshot;

	/**
	 * The session as restored: key, found, expired.
	 *
	 * @var array{key: string, found: bool, expired: bool}
	 */
	public array $session;

	/** Units of stock claimed for the Klarna order by this decision (Claims\Claimer; 0: none). */
	public int $claimed = 0;

	/**
	 * Constructor.
	 *
	 * @param array<string, mixed>                      $verdict  Verdict.
	 * @param array<string, mixed>                      $snapshot Snapshot.
	 * @param array{key: string, found: bool, expired: bool} $session  Session.
	 */
	public function __construct( array $verdict, array $snapshot, array $session ) {
		$this->verdict  = $verdict;
		$this->snapshot = $snapshot;
		$this->session  = $session;
	}

	/**
	 * The HTTP answer.
	 *
	 * @return array{status: int, location: string|null, content_type: string|null, body: string}
	 */
	public function response(): array {
		return $this->verdict['response'];
	}

	/**
	 * Whether the order is approved.
	 */
	public function approved(): bool {
		return $this->verdict['approved'];
	}

	/**
	 * The references the failures name, each once.
	 *
	 * @return list<string>
	 */
	public function references(): array {
		$refs = array();
		foreach ( $this->verdict['failures'] as $failure ) {
			if ( isset( $failure['reference'] ) && is_string( $failure['reference'] ) && ! in_array( $failure['reference'], $refs, true ) ) {
				$refs[] = $failure['reference'];
			}
		}
		return $refs;
	}
}
