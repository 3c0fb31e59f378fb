<?php
/**
 * A Response that records what would be sent instead of sending it and exiting.
 *
 * @package KcoValidation\Plugin\Tests
 */

namespace KcoValidation\Plugin\Tests;

use KcoValidation\Plugin\Request\Response;

class CapturingResponse extends Response {
	/** @var int|null */
	public $status = null;
	/** @var list<string> */
	public $headers = array();
	/** @var string */
	public $body = '';
	/** @var int Times terminate() was reached. */
	public $terminated = 0;
	/** @var int Times discard_output() was reached. */
	public $discarded = 0;

	protected function discard_output(): void {
		++$this->discarded;
	}
	protected function status( int $status ): void {
		$this->status = $status;
	}
	protected function header( string $line ): void {
		$this->headers[] = $line;
	}
	protected function output( string $body ): void {
		$this->body .= $body;
	}
	/** @var bool Throw Terminated, as exit would stop everything after the handler (WC_API dispatch tests). */
	public $throw_on_terminate = false;

	protected function terminate(): void {
		++$this->terminated;
		if ( $this->throw_on_terminate ) {
			throw new Terminated( 'exit' );
		}
	}
	/** The value of a header, or null. */
	public function header_value( string $name ): ?string {
		foreach ( $this->headers as $line ) {
			if ( 0 === stripos( $line, $name . ':' ) ) {
				return trim( substr( $line, strlen( $name ) + 1 ) );
			}
		}
		return null;
	}
	/** Decoded JSON body. */
	public function json(): array {
		$data = json_decode( $this->body, true );
		return is_array( $data ) ? $data : array();
	}
}

/** Stands for exit() in dispatch tests. */
class Terminated extends \RuntimeException {
}
