<?php
/**
 * The decision log's chart, drawn on the server as SVG.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools;

defined( 'ABSPATH' ) || exit;

/**
 * Stacked bars: decisions per day by outcome (left axis); a line: the day's 95th-percentile time (right axis), with
 * Klarna's 3 s budget marked when it is in range. Pure: DecisionLog::daily() in, an escaped SVG string out.
 */
class Chart {

	const WIDTH  = 720;
	const HEIGHT = 240;

	/** Plot margins: top, right, bottom, left. */
	const MARGIN = array( 16, 56, 36, 44 );

	/** Bar colours per outcome. */
	const COLOURS = array(
		'approved'       => '#2e7d32',
		'denied'         => '#c62828',
		'rejected'       => '#ef6c00',
		'fault-approved' => '#6a1b9a',
		'fault-denied'   => '#4e342e',
	);

	/** Colour of the p95 line. */
	const LINE = '#1565c0';

	/**
	 * The SVG.
	 *
	 * @param list<array{day: string, counts: array<string, int>, total: int, p95_ms: float|null}> $days Daily data.
	 */
	public static function svg( array $days ): string {
		[ $top, $right, $bottom, $left ] = self::MARGIN;
		$w      = self::WIDTH - $left - $right;
		$h      = self::HEIGHT - $top - $bottom;
		$n      = max( 1, count( $days ) );
		$max_n  = self::nice( max( 1, ...array_map( static fn ( $d ) => (int) $d['total'], $days ?: array( array( 'total' => 0 ) ) ) ) );
		$p95s   = array_filter( array_map( static fn ( $d ) => $d['p95_ms'], $days ), 'is_float' );
		$max_ms = self::nice( max( 10.0, ...( array() === $p95s ? array( 0.0 ) : array_values( $p95s ) ) ) );
		$slot   = $w / $n;
		$bar    = max( 2.0, $slot * 0.7 );
		$out    = array();

		$out[] = sprintf(
			'<svg xmlns="http://www.w3.org/2000/svg" class="kco-validation-chart" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="kco-validation-chart-title">',
			self::WIDTH,
			self::HEIGHT,
			self::WIDTH,
			self::HEIGHT
		);
		$out[] = '<title id="kco-validation-chart-title">' . esc_html__( 'Decisions per day by outcome, and the 95th percentile of Klarna\'s wait per day (from the request\'s arrival)', 'kco-validation' ) . '</title>';

		// Grid and axes: whole-number ticks on the left (decisions), right (milliseconds).
		$ticks = self::ticks( $max_n );
		for ( $i = 0; $i <= $ticks; $i++ ) {
			$y     = $top + $h - $h * $i / $ticks;
			$out[] = sprintf( '<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#dcdcde" stroke-width="1"/>', $left, self::num( $y ), $left + $w, self::num( $y ) );
			$out[] = sprintf( '<text x="%d" y="%s" font-size="10" text-anchor="end" fill="#50575e">%s</text>', $left - 4, self::num( $y + 3 ), esc_html( self::num( $max_n * $i / $ticks ) ) );
		}
		$ms_ticks = self::ticks( $max_ms );
		for ( $i = 0; $i <= $ms_ticks; $i++ ) {
			$y     = $top + $h - $h * $i / $ms_ticks;
			$out[] = sprintf( '<text x="%d" y="%s" font-size="10" fill="%s">%s</text>', $left + $w + 4, self::num( $y + 3 ), self::LINE, esc_html( self::num( $max_ms * $i / $ms_ticks ) . ' ms' ) );
		}

		// Bars.
		foreach ( array_values( $days ) as $i => $day ) {
			$x     = $left + $slot * $i + ( $slot - $bar ) / 2;
			$y     = $top + $h;
			$label = array();
			foreach ( self::COLOURS as $outcome => $colour ) {
				$count = (int) ( $day['counts'][ $outcome ] ?? 0 );
				if ( $count <= 0 ) {
					continue;
				}
				$bh      = $h * $count / $max_n;
				$y      -= $bh;
				$label[] = $outcome . ' ' . $count;
				$out[]   = sprintf(
					'<rect class="kco-bar kco-bar-%s" data-day="%s" data-count="%d" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>',
					esc_attr( $outcome ),
					esc_attr( $day['day'] ),
					$count,
					self::num( $x ),
					self::num( $y ),
					self::num( $bar ),
					self::num( $bh ),
					$colour,
					esc_html( $day['day'] . ': ' . $outcome . ' ' . $count )
				);
			}
			if ( 0 === $i % max( 1, (int) ceil( $n / 7 ) ) || $i === $n - 1 ) {
				$out[] = sprintf( '<text x="%s" y="%d" font-size="10" text-anchor="middle" fill="#50575e">%s</text>', self::num( $left + $slot * ( $i + 0.5 ) ), self::HEIGHT - $bottom + 14, esc_html( substr( $day['day'], 5 ) ) );
			}
		}

		// Klarna's 3 s budget, when the axis reaches it.
		if ( $max_ms >= Diagnosis::KLARNA_BUDGET_MS ) {
			$y     = $top + $h - $h * Diagnosis::KLARNA_BUDGET_MS / $max_ms;
			$out[] = sprintf( '<line class="kco-budget" x1="%d" y1="%s" x2="%d" y2="%s" stroke="#c62828" stroke-dasharray="4 3"/>', $left, self::num( $y ), $left + $w, self::num( $y ) );
		}

		// p95 line and points.
		$points = array();
		foreach ( array_values( $days ) as $i => $day ) {
			if ( ! is_float( $day['p95_ms'] ) ) {
				continue;
			}
			$x        = $left + $slot * ( $i + 0.5 );
			$y        = $top + $h - $h * $day['p95_ms'] / $max_ms;
			$points[] = self::num( $x ) . ',' . self::num( $y );
			$out[]    = sprintf(
				'<circle class="kco-p95" data-day="%s" data-p95="%s" cx="%s" cy="%s" r="3" fill="%s"><title>%s</title></circle>',
				esc_attr( $day['day'] ),
				esc_attr( self::num( $day['p95_ms'] ) ),
				self::num( $x ),
				self::num( $y ),
				self::LINE,
				esc_html( sprintf( '%s: p95 of Klarna\'s wait %s ms', $day['day'], self::num( $day['p95_ms'] ) ) )
			);
		}
		if ( count( $points ) > 1 ) {
			$out[] = '<polyline class="kco-p95-line" fill="none" stroke="' . self::LINE . '" stroke-width="2" points="' . esc_attr( implode( ' ', $points ) ) . '"/>';
		}
		$out[] = sprintf( '<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#8c8f94"/>', $left, $top + $h, $left + $w, $top + $h );
		$out[] = '</svg>';
		return implode( "\n", $out );
	}

	/**
	 * The legend (HTML).
	 */
	public static function legend(): string {
		$items = array();
		foreach ( self::COLOURS as $outcome => $colour ) {
			$items[] = sprintf( '<li><span class="kco-swatch" style="background:%s"></span>%s</li>', esc_attr( $colour ), esc_html( $outcome ) );
		}
		$items[] = sprintf( '<li><span class="kco-swatch kco-swatch-line" style="background:%s"></span>%s</li>', esc_attr( self::LINE ), esc_html__( '95th percentile of Klarna\'s wait, from the request\'s arrival (right axis)', 'kco-validation' ) );
		return '<ul class="kco-validation-legend">' . implode( '', $items ) . '</ul>';
	}

	/**
	 * A round axis maximum at or above $value (1, 2, 5 × 10^n).
	 *
	 * @param float|int $value Value.
	 */
	public static function nice( $value ): float {
		$value = max( 1.0, (float) $value );
		$exp   = 10 ** floor( log10( $value ) );
		foreach ( array( 1, 2, 5, 10 ) as $step ) {
			if ( $value <= $step * $exp ) {
				return (float) ( $step * $exp );
			}
		}
		return 10 * $exp;
	}

	/**
	 * How many grid steps divide an axis maximum from nice() into whole numbers (5, 2 or 1).
	 *
	 * @param float $max Axis maximum.
	 */
	public static function ticks( float $max ): int {
		foreach ( array( 5, 4, 2 ) as $ticks ) {
			if ( 0.0 === fmod( $max, (float) $ticks ) ) {
				return $ticks;
			}
		}
		return 1;
	}

	/**
	 * A coordinate with at most two decimals.
	 *
	 * @param float|int $value Value.
	 */
	private static function num( $value ): string {
		$text = number_format( (float) $value, 2, '.', '' );
		return rtrim( rtrim( $text, '0' ), '.' );
	}
}
