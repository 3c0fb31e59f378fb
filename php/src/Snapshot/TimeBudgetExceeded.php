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
 * The callback could not be decided in time (TimeBudget): the deadline before Klarna gives up passed, or a query
 * ran into its limit. Answered by the internal-fault policy.
 */
class TimeBudgetExceeded extends \RuntimeException {
}
