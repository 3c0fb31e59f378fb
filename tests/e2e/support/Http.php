<?php
/**
 * A raw HTTP/1.1 client over a loopback socket: the test sees the status line and header lines exactly as the
 * server sent them (so a CR or LF smuggled into a header would show).
 *
 * @package KcoValidation\Plugin\Tests\E2E
 */

namespace KcoValidation\Plugin\Tests\E2E;

final class HttpResponse {
	/** @var int */
	public $status;
	/** @var string Status line. */
	public $status_line;
	/** @var list<string> Header lines as received (without the CRLF). */
	public $header_lines;
	/** @var string Raw header block. */
	public $raw_head;
	/** @var string Body (de-chunked). */
	public $body;

	public function __construct( int $status, string $status_line, array $header_lines, string $raw_head, string $body ) {
		$this->status       = $status;
		$this->status_line  = $status_line;
		$this->header_lines = $header_lines;
		$this->raw_head     = $raw_head;
		$this->body         = $body;
	}

	/** The first value of a header, or null. */
	public function header( string $name ): ?string {
		foreach ( $this->header_lines as $line ) {
			$colon = strpos( $line, ':' );
			if ( false !== $colon && 0 === strcasecmp( substr( $line, 0, $colon ), $name ) ) {
				return trim( substr( $line, $colon + 1 ) );
			}
		}
		return null;
	}

	/** Every header name received. */
	public function header_names(): array {
		return array_map( static fn ( string $l ): string => (string) strstr( $l, ':', true ), $this->header_lines );
	}

	/** Decoded JSON body. */
	public function json(): ?array {
		$data = json_decode( $this->body, true );
		return is_array( $data ) ? $data : null;
	}

	/** A short description for failure messages. */
	public function describe(): string {
		return $this->raw_head . "\n\n" . substr( $this->body, 0, 500 );
	}
}

final class Http {
	/**
	 * Sends one request and reads the whole answer (Connection: close).
	 *
	 * @param string               $method  Method.
	 * @param string               $url     Absolute http://127.0.0.1:PORT/... URL.
	 * @param string|null          $body    Body (null: none).
	 * @param array<string,string> $headers Extra headers.
	 */
	public static function request( string $method, string $url, ?string $body = null, array $headers = array() ): HttpResponse {
		$parts = parse_url( $url );
		if ( ! is_array( $parts ) || 'http' !== ( $parts['scheme'] ?? '' ) || '127.0.0.1' !== ( $parts['host'] ?? '' ) ) {
			throw new \InvalidArgumentException( "loopback http URLs only: {$url}" );
		}
		$port   = (int) ( $parts['port'] ?? 80 );
		$target = ( $parts['path'] ?? '/' ) . ( isset( $parts['query'] ) ? '?' . $parts['query'] : '' );
		$socket = @fsockopen( '127.0.0.1', $port, $errno, $errstr, 10 );
		if ( false === $socket ) {
			throw new \RuntimeException( "cannot connect to 127.0.0.1:{$port}: {$errstr}" );
		}
		stream_set_timeout( $socket, 60 );
		$head = "{$method} {$target} HTTP/1.1\r\nHost: 127.0.0.1:{$port}\r\nConnection: close\r\nUser-Agent: kco-e2e\r\n";
		foreach ( $headers as $name => $value ) {
			$head .= "{$name}: {$value}\r\n";
		}
		if ( null !== $body ) {
			$head .= 'Content-Length: ' . strlen( $body ) . "\r\n";
		}
		self::write( $socket, $head . "\r\n" . (string) $body );
		$raw = stream_get_contents( $socket );
		$meta = stream_get_meta_data( $socket );
		fclose( $socket );
		if ( false === $raw || ! empty( $meta['timed_out'] ) ) {
			throw new \RuntimeException( "no answer from {$url}" );
		}
		return self::parse( $raw, $url );
	}

	/**
	 * Sends every request at once, each on its own connection (all written before any answer is read), and returns
	 * the answers in the same order: parallel callbacks as Klarna sends them for many shoppers.
	 *
	 * @param list<array{0: string, 1: string, 2?: string|null, 3?: array<string,string>}> $requests [method, URL, body, headers].
	 * @return list<HttpResponse>
	 */
	public static function parallel( array $requests ): array {
		$sockets = array();
		foreach ( $requests as $i => $request ) {
			list( $method, $url ) = $request;
			$body                 = $request[2] ?? null;
			$parts                = parse_url( $url );
			if ( ! is_array( $parts ) || 'http' !== ( $parts['scheme'] ?? '' ) || '127.0.0.1' !== ( $parts['host'] ?? '' ) ) {
				throw new \InvalidArgumentException( "loopback http URLs only: {$url}" );
			}
			$port   = (int) ( $parts['port'] ?? 80 );
			$socket = @fsockopen( '127.0.0.1', $port, $errno, $errstr, 10 );
			if ( false === $socket ) {
				throw new \RuntimeException( "cannot connect to 127.0.0.1:{$port}: {$errstr}" );
			}
			$head = "{$method} " . ( $parts['path'] ?? '/' ) . ( isset( $parts['query'] ) ? '?' . $parts['query'] : '' ) . " HTTP/1.1\r\nHost: 127.0.0.1:{$port}\r\nConnection: close\r\nUser-Agent: kco-e2e\r\n";
			foreach ( $request[3] ?? array() as $name => $value ) {
				$head .= "{$name}: {$value}\r\n";
			}
			if ( null !== $body ) {
				$head .= 'Content-Length: ' . strlen( $body ) . "\r\n";
			}
			self::write( $socket, $head . "\r\n" . (string) $body );
			stream_set_blocking( $socket, false );
			$sockets[ $i ] = $socket;
		}
		$raw      = array_fill_keys( array_keys( $sockets ), '' );
		$open     = $sockets;
		$deadline = microtime( true ) + 120;
		while ( array() !== $open ) {
			$read   = array_values( $open );
			$write  = null;
			$except = null;
			if ( microtime( true ) > $deadline || false === stream_select( $read, $write, $except, 10 ) ) {
				throw new \RuntimeException( 'no answer to ' . count( $open ) . ' of the parallel requests' );
			}
			foreach ( $read as $socket ) {
				$i     = array_search( $socket, $open, true );
				$chunk = fread( $socket, 65536 );
				if ( is_string( $chunk ) && '' !== $chunk ) {
					$raw[ $i ] .= $chunk;
				} elseif ( feof( $socket ) ) {
					fclose( $socket );
					unset( $open[ $i ] );
				}
			}
		}
		$answers = array();
		foreach ( $requests as $i => $request ) {
			$answers[] = self::parse( $raw[ $i ], $request[1] );
		}
		return $answers;
	}

	/**
	 * An answer as received.
	 *
	 * @param string $raw Status line, headers and body.
	 * @param string $url The URL asked (for messages).
	 */
	private static function parse( string $raw, string $url ): HttpResponse {
		$split = strpos( $raw, "\r\n\r\n" );
		if ( false === $split ) {
			throw new \RuntimeException( "malformed answer from {$url}: " . substr( $raw, 0, 200 ) );
		}
		$raw_head = substr( $raw, 0, $split );
		$rest     = substr( $raw, $split + 4 );
		$lines    = explode( "\r\n", $raw_head );
		$status   = array_shift( $lines );
		if ( 1 !== preg_match( '~^HTTP/1\.[01] (\d{3})~', $status, $m ) ) {
			throw new \RuntimeException( "malformed status line: {$status}" );
		}
		$response = new HttpResponse( (int) $m[1], $status, $lines, $raw_head, '' );
		$te       = $response->header( 'Transfer-Encoding' );
		$response->body = ( null !== $te && false !== stripos( $te, 'chunked' ) ) ? self::dechunk( $rest ) : $rest;
		return $response;
	}

	/** Writes everything. */
	private static function write( $socket, string $data ): void {
		$offset = 0;
		$length = strlen( $data );
		while ( $offset < $length ) {
			$n = @fwrite( $socket, substr( $data, $offset, 1 << 20 ) );
			if ( false === $n || 0 === $n ) {
				// The server may answer (and close) before reading a big body: read what it said.
				return;
			}
			$offset += $n;
		}
	}

	/** Decodes a chunked body. */
	private static function dechunk( string $data ): string {
		$out = '';
		while ( '' !== $data ) {
			$eol = strpos( $data, "\r\n" );
			if ( false === $eol ) {
				break;
			}
			$size = hexdec( trim( explode( ';', substr( $data, 0, $eol ) )[0] ) );
			if ( 0 === $size ) {
				break;
			}
			$out .= substr( $data, $eol + 2, (int) $size );
			$data = substr( $data, $eol + 2 + (int) $size + 2 );
		}
		return $out;
	}
}
