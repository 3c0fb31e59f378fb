<?php
/**
 * Thrown when a callback runs out of its time budget.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Snapshot;

defined( 'ABSPATH' ) || exit;

/**
 * The callback ran past its time budget (TimeBudget): answered by the internal-fault policy.
 */
class TimeBudgetExceeded extends \RuntimeException {
}
