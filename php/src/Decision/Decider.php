<?php
/**
 * The one decision path: a parsed Klarna order and a session key in, the verdict and its answer out.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Decision;

use KcoValidation\Plugin\Answer\AnswerInputs;
use KcoValidation\Plugin\Claims\Claimer;
use KcoValidation\Plugin\Claims\ClaimStore;
use KcoValidation\Plugin\Multilingual\Languages;
use KcoValidation\Plugin\Settings;
use KcoValidation\Plugin\Snapshot\SessionStore;
use KcoValidation\Plugin\Snapshot\SnapshotBuilder;
use KcoValidation\Plugin\Snapshot\TimeBudget;
use KcoValidation\Plugin\Snapshot\TimeBudgetExceeded;

defined( 'ABSPATH' ) || exit;

/**
 * Used by the callback (Request\Endpoint), by replay (WP-CLI and the log screen, Tools\Replay) and, for its
 * snapshot-given half, by the `kco-validate` CLI: restore the session, build the snapshot (every query under the
 * time guard: Klarna's deadline for this order, and a limit per query), let `kco_validation_snapshot` adjust it,
 * ask the extension for the verdict, let `kco_validation_verdict` add or remove failures, and have the extension
 * answer the result; for the callback, an approval then claims the stock it takes (Claims\Claimer), or is decided
 * again when another callback claimed it first. The plugin never edits an answer: a changed verdict is answered
 * again by the extension (`KcoValidation\answer()`), from the same inputs, and so is the internal-fault policy
 * ({@see Decider::fault()}).
 */
final class Decider {

	/** Settings. */
	private Settings $settings;

	/** Session store. */
	private SessionStore $sessions;

	/** Snapshot builder. */
	private SnapshotBuilder $builder;

	/** The plugin's part of the answer. */
	private AnswerInputs $inputs;

	/** The database the time budget limits (null: none). */
	private $wpdb;

	/** The claim step of an approval (null: nothing is claimed). */
	private ?Claimer $claimer;

	/**
	 * Constructor.
	 *
	 * @param Settings        $settings Settings.
	 * @param SessionStore    $sessions Sessions.
	 * @param SnapshotBuilder $builder  Snapshot builder.
	 * @param object|null     $wpdb     Database (time budget).
	 * @param Claimer|null    $claimer  The claim step of an approval (null: nothing is claimed).
	 */
	public function __construct( Settings $settings, SessionStore $sessions, SnapshotBuilder $builder, $wpdb = null, ?Claimer $claimer = null ) {
		$this->settings = $settings;
		$this->sessions = $sessions;
		$this->builder  = $builder;
		$this->inputs   = new AnswerInputs( $settings, $builder->pages() );
		$this->wpdb     = $wpdb;
		$this->claimer  = $claimer;
	}

	/**
	 * The decider wired to WordPress's globals.
	 *
	 * @param Settings|null $settings Settings (default: loaded).
	 */
	public static function create( ?Settings $settings = null ): self {
		global $wpdb;
		$settings = $settings ?? Settings::load();
		return new self( $settings, new SessionStore( $wpdb ), SnapshotBuilder::create( $settings, Languages::detect(), $wpdb ), $wpdb, new Claimer( new ClaimStore( $wpdb ), $settings ) );
	}

	/**
	 * Decides an order for a session. Throws on any fault (database, extension, a filter's bad return): the
	 * caller answers with {@see Decider::fault()}. Running out of time (Klarna's deadline for this order, or one
	 * query's limit) is a TimeBudgetExceeded.
	 *
	 * @param \KcoValidation\Order $order      The parsed Klarna order.
	 * @param string               $session_id `kco_session_id`.
	 * @param bool                 $claim      Claim the stock an approval takes (the callback; never replay).
	 * @throws \Throwable On any fault.
	 */
	public function decide( $order, string $session_id, bool $claim = false ): Decision {
		$requires = method_exists( $order, 'requiresValidateSuccess' ) && true === $order->requiresValidateSuccess();
		$budget   = TimeBudget::start( $this->settings->query_limit_ms(), $this->settings->deadline_ms( $requires ), $this->wpdb );
		$budget->attach();
		$stage = 'while building the snapshot';
		try {
			$session = $this->sessions->load( $session_id );
			// An approval that will claim its stock has the claim check what other checkouts hold (ClaimStore::claim(),
			// in the same statement): held stock is read only if the order is denied, so that the denial lists every
			// failure (one query either way).
			$claims   = $claim && null !== $this->claimer && $this->claimer->active( (string) $order->id() );
			$snapshot = $this->builder->build( $order, $session, null, ! $claims );
			$snapshot['answer'] = $this->inputs->section( $snapshot );
			/**
			 * The store snapshot before the extension sees it (docs/contract.md §1).
			 *
			 * @param array                $snapshot Snapshot.
			 * @param \KcoValidation\Order $order    Parsed Klarna order.
			 * @param \KcoValidation\Plugin\Snapshot\SessionData $session Restored session.
			 */
			$snapshot = apply_filters( 'kco_validation_snapshot', $snapshot, $order, $session );
			if ( ! is_array( $snapshot ) ) {
				throw new \UnexpectedValueException( 'kco_validation_snapshot did not return an array' );
			}
			$budget->check( $stage );
			$restored = array(
				'key'     => $session->key,
				'found'   => $session->found,
				'expired' => $session->expired,
			);
			$decision = self::decide_snapshot( $order, $snapshot, $restored );
			if ( $claims && ! $decision->approved() ) {
				$decision = self::decide_snapshot( $order, $this->builder->with_held( $decision->snapshot ), $restored );
			}
			if ( $claim && null !== $this->claimer && $decision->approved() ) {
				$stage    = 'while claiming the stock';
				$decision = $this->claimer->settle( $decision, $order, $this->builder->stock_groups(), $budget );
			}
			$stage    = 'while building the pages';
			$decision = $this->with_pages( $decision );
		} catch ( \Throwable $e ) {
			$budget->detach();
			if ( ! $e instanceof TimeBudgetExceeded && $budget->explains( $e ) ) {
				// A query cut short by its limit surfaces as a database error: say why.
				throw new TimeBudgetExceeded( $budget->message( $stage ) . ' (' . $e->getMessage() . ')', 0, $e );
			}
			throw $e;
		}
		$budget->detach();
		return $decision;
	}

	/**
	 * A denial in redirect mode answered with the shop's pages: the snapshot leaves `urls` out (the cart and
	 * checkout URLs cost a query or more on a real shop — the pages, a multilingual plugin's translations — and an
	 * approval or a 400 never needs them), and the extension then answers a redirect without its Location; the
	 * pages are built now, in the shopper's language, and the extension answers the same verdict again with them.
	 * A `urls` a `kco_validation_snapshot` filter set is used as it is.
	 *
	 * @param Decision $decision The decision.
	 * @throws \Throwable When the pages cannot be read or the extension refuses them.
	 */
	private function with_pages( Decision $decision ): Decision {
		$response = $decision->response();
		if ( $decision->approved() || isset( $decision->snapshot['urls'] ) || 303 !== ( $response['status'] ?? null ) || null !== ( $response['location'] ?? null ) ) {
			return $decision;
		}
		$language         = is_array( $decision->snapshot['language'] ?? null ) ? $decision->snapshot['language'] : array();
		$lang             = isset( $language['code'] ) && is_string( $language['code'] ) ? $language['code'] : null;
		$snapshot         = $decision->snapshot;
		$snapshot['urls'] = $this->builder->pages()->urls( $lang );
		return new Decision( self::answer_again( $decision->verdict, $snapshot ), $snapshot, $decision->session );
	}

	/**
	 * The second half of the path, for a snapshot already built (also `kco-validate`, outside WordPress): the
	 * extension's verdict, the `kco_validation_verdict` filter, and the extension's answer to what the filter
	 * left.
	 *
	 * @param \KcoValidation\Order                           $order    The parsed Klarna order.
	 * @param array<string, mixed>                           $snapshot Snapshot.
	 * @param array{key: string, found: bool, expired: bool} $session  Session as restored.
	 * @throws \Throwable When the extension refuses the snapshot or a filter returns no verdict.
	 */
	public static function decide_snapshot( $order, array $snapshot, array $session = array(
		'key'     => '',
		'found'   => false,
		'expired' => false,
	) ): Decision {
		$verdict = $order->validate( $snapshot );
		if ( function_exists( 'apply_filters' ) ) {
			/**
			 * The verdict (docs/contract.md §2). A shop may add failures (a code of its own is answered with
			 * `unable_to_process`) or remove them; the extension then answers what is left. The answer itself is
			 * never taken from the filter.
			 *
			 * @param array                $verdict  Verdict.
			 * @param \KcoValidation\Order $order    Parsed Klarna order.
			 * @param array                $snapshot Snapshot.
			 */
			$filtered = apply_filters( 'kco_validation_verdict', $verdict, $order, $snapshot );
			if ( $filtered !== $verdict ) {
				$verdict = self::answer_again( $filtered, $snapshot );
			}
		}
		return new Decision( $verdict, $snapshot, $session );
	}

	/**
	 * The internal-fault policy's answer, built by the extension from the same inputs as any other: approve
	 * (200), or deny with `internal_error` (303 to the checkout with `unable_to_process`, or 400 in error_json
	 * mode). When even that fails (the extension itself throwing), a fixed deny: 400 `approval_failed`.
	 *
	 * @param string|null $lang The shopper's language, when known.
	 * @return array{status: int, location: string|null, content_type: string|null, body: string}
	 */
	public function fault( ?string $lang = null ): array {
		$reasons = 'approve' === $this->settings->fault_policy ? array() : array(
			array(
				'code'    => 'internal_error',
				'message' => 'We were unable to process your order, please try again.',
			),
		);
		try {
			$answer = \KcoValidation\answer( $reasons, $this->inputs->standalone( $lang ) );
			return $answer['response'];
		} catch ( \Throwable $e ) {
			return array(
				'status'       => 400,
				'location'     => null,
				'content_type' => 'application/json; charset=utf-8',
				'body'         => '{"error_type":"approval_failed","error_text":"We were unable to process your order, please try again."}',
			);
		}
	}

	/**
	 * A verdict a filter changed, answered again by the extension from its failures.
	 *
	 * @param mixed                $filtered The filter's return.
	 * @param array<string, mixed> $snapshot Snapshot.
	 * @return array<string, mixed>
	 * @throws \UnexpectedValueException When the filter returned no verdict.
	 */
	private static function answer_again( $filtered, array $snapshot ): array {
		if ( ! is_array( $filtered ) ) {
			throw new \UnexpectedValueException( 'kco_validation_verdict did not return an array' );
		}
		$failures = array();
		foreach ( is_array( $filtered['failures'] ?? null ) ? $filtered['failures'] : array() as $failure ) {
			if ( is_array( $failure ) && isset( $failure['code'] ) && is_string( $failure['code'] ) && '' !== $failure['code'] ) {
				$failures[] = $failure;
			}
		}
		$reasons = $failures;
		if ( array() === $reasons && true !== ( $filtered['approved'] ?? false ) ) {
			// Denied without a reason: the shop's own refusal.
			$reasons = array(
				array(
					'code'    => 'unable_to_process',
					'message' => 'We were unable to process your order, please try again.',
				),
			);
		}
		foreach ( $reasons as $i => $reason ) {
			$reasons[ $i ]['params'] = \KcoValidation\Plugin\ShopperPage\Reasons::params( $reason['params'] ?? array() );
		}
		$answer = \KcoValidation\answer( $reasons, self::inputs_of( $snapshot ) );
		$codes  = array();
		foreach ( $reasons as $reason ) {
			if ( ! in_array( $reason['code'], $codes, true ) ) {
				$codes[] = $reason['code'];
			}
		}
		return array(
			'approved' => array() === $reasons,
			'codes'    => array() === $failures ? array() : $codes,
			'failures' => $failures,
			'flag'     => $answer['flag'],
			'response' => $answer['response'],
		) + $filtered;
	}

	/**
	 * The answer's inputs a snapshot holds.
	 *
	 * @param array<string, mixed> $snapshot Snapshot.
	 * @return array<string, mixed>
	 */
	private static function inputs_of( array $snapshot ): array {
		$inputs = array(
			'currency' => $snapshot['currency'] ?? '',
			'options'  => $snapshot['options'] ?? array(),
			'answer'   => $snapshot['answer'] ?? array(),
		);
		if ( isset( $snapshot['urls'] ) ) {
			$inputs['urls'] = $snapshot['urls']; // Left out until a denial needs them (with_pages()).
		}
		return $inputs;
	}
}
