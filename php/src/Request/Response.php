<?php
/**
 * Sends the answer to Klarna and ends the request.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Request;

defined( 'ABSPATH' ) || exit;

/**
 * Sends exactly a status, an optional Location and Content-Type, and a body, then exits so that WC_API's
 * `die( '-1' )` never runs. Under PHP-FPM the answer is handed to the web server before anything else runs
 * (`fastcgi_finish_request()`): work that must not delay Klarna (the decision log, compare mode) listens to
 * `kco_validation_answer_sent`. Tests subclass it to capture instead of exiting.
 */
class Response {

	/**
	 * Sends and ends the request.
	 *
	 * @param int         $status       HTTP status.
	 * @param string|null $location     Location header (303), never built from request input.
	 * @param string|null $content_type Content-Type header.
	 * @param string      $body         Body.
	 */
	public function send( int $status, ?string $location, ?string $content_type, string $body ): void {
		$this->discard_output();
		$this->status( $status );
		$this->header( 'Cache-Control: no-cache, no-store, must-revalidate, max-age=0' );
		if ( null !== $location && '' !== $location ) {
			$this->header( 'Location: ' . $location );
		}
		if ( null !== $content_type && '' !== $content_type ) {
			$this->header( 'Content-Type: ' . $content_type );
		}
		$this->header( 'Content-Length: ' . strlen( $body ) );
		$this->output( $body );
		$this->finish_request();
		try {
			/**
			 * After the answer has been handed to the web server (under PHP-FPM: Klarna has it; elsewhere it is sent
			 * when the request ends). For work that must not delay the answer. Listeners never change it.
			 *
			 * @param int $status The HTTP status sent.
			 */
			do_action( 'kco_validation_answer_sent', $status );
		} catch ( \Throwable $ignored ) { // phpcs:ignore Generic.CodeAnalysis.EmptyStatement.DetectedCatch -- the answer is sent already.
		}
		$this->terminate();
	}

	/**
	 * Hands the answer to the web server and closes the connection to the client, where the SAPI can
	 * (php-fpm: `fastcgi_finish_request()`, which flushes the output too).
	 */
	protected function finish_request(): void {
		if ( function_exists( 'fastcgi_finish_request' ) ) {
			fastcgi_finish_request();
		}
	}

	/**
	 * Whether a string is safe as a header value we send: one line, printable ASCII.
	 *
	 * @param string $value Header value.
	 */
	public static function header_safe( string $value ): bool {
		return 1 === preg_match( '/^[\x20-\x7E]*$/D', $value );
	}

	/**
	 * Whether a Location is an absolute http(s) URL fit for a header.
	 *
	 * @param mixed $location Candidate.
	 */
	public static function valid_location( $location ): bool {
		return is_string( $location ) && self::header_safe( $location ) && 1 === preg_match( '~^https?://[^/?#\s]+~i', $location );
	}

	/**
	 * Appends a raw query fragment (`a&b=c`) to a URL, before any #fragment, with ? or &.
	 *
	 * @param string $url   Absolute URL.
	 * @param string $query Query to add, already encoded.
	 */
	public static function append_query( string $url, string $query ): string {
		$fragment = '';
		$hash     = strpos( $url, '#' );
		if ( false !== $hash ) {
			$fragment = substr( $url, $hash );
			$url      = substr( $url, 0, $hash );
		}
		$separator = str_contains( $url, '?' ) ? ( str_ends_with( $url, '?' ) || str_ends_with( $url, '&' ) ? '' : '&' ) : '?';
		return $url . $separator . $query . $fragment;
	}

	/**
	 * Drops whatever was buffered (WC_API starts a buffer before calling us).
	 */
	protected function discard_output(): void {
		while ( ob_get_level() > 0 ) {
			ob_end_clean();
		}
	}

	/**
	 * Sets the status line.
	 *
	 * @param int $status HTTP status.
	 */
	protected function status( int $status ): void {
		if ( function_exists( 'status_header' ) ) {
			status_header( $status );
		} else {
			http_response_code( $status );
		}
	}

	/**
	 * Sends one header line.
	 *
	 * @param string $line Header line.
	 */
	protected function header( string $line ): void {
		header( $line, true );
	}

	/**
	 * Writes the body.
	 *
	 * @param string $body Body (empty, or JSON we encoded).
	 */
	protected function output( string $body ): void {
		echo $body; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- a JSON body or empty, for Klarna's server.
	}

	/**
	 * Ends the request.
	 */
	protected function terminate(): void {
		exit;
	}
}
