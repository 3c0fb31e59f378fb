<?php
/**
 * The doctor against a real nginx (Debian nginx-light) on 127.0.0.1, with its own config, pid and logs in a temp
 * dir and a self-signed certificate, in front of PHP's built-in server running the plugin with the tools. Each test
 * rewrites nginx's config and reloads it (SIGHUP), waits until the new config answers, then runs
 * `wp kco-validation doctor` (the command class, real wp_remote_post()) and checks the case is named. The doctor's
 * output of each case is kept in tests/artifacts/doctor-<case>.txt.
 *
 * @package KcoValidation\Plugin\Tests\Tools
 */

namespace KcoValidation\Plugin\Tests\Tools;

use KcoValidation\Plugin\Tools\CliCommand;

class DoctorNginxTest extends ToolsTestCase {

	/** @var string */
	private static $dir = '';
	/** @var resource|null */
	private static $nginx = null;
	/** @var resource|null */
	private static $backend = null;
	/** @var array{https: int, http: int, backend: int, closed: int} */
	private static $ports = array();
	/** @var int */
	private static $generation = 0;

	private static function free_port(): int {
		$s    = stream_socket_server( 'tcp://127.0.0.1:0' );
		$name = (string) stream_socket_get_name( $s, false );
		fclose( $s );
		return (int) substr( $name, strrpos( $name, ':' ) + 1 );
	}

	private static function exec_or_fail( array $cmd ): void {
		$p = proc_open( $cmd, array( 0 => array( 'file', '/dev/null', 'r' ), 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
		$out = stream_get_contents( $pipes[1] ) . stream_get_contents( $pipes[2] );
		fclose( $pipes[1] );
		fclose( $pipes[2] );
		if ( 0 !== proc_close( $p ) ) {
			throw new \RuntimeException( implode( ' ', $cmd ) . ' failed: ' . $out );
		}
	}

	private static function wait_for_port( int $port, $proc, string $log ): void {
		for ( $i = 0; $i < 100; $i++ ) {
			$conn = @stream_socket_client( 'tcp://127.0.0.1:' . $port, $errno, $errstr, 0.2 );
			if ( false !== $conn ) {
				fclose( $conn );
				return;
			}
			if ( ! proc_get_status( $proc )['running'] ) {
				break;
			}
			usleep( 50000 );
		}
		throw new \RuntimeException( "nothing listens on {$port}: " . @file_get_contents( $log ) );
	}

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		$base      = (string) ( getenv( 'KCO_TOOLS_TMP' ) ?: sys_get_temp_dir() );
		self::$dir = $base . '/nginx-' . getmypid();
		foreach ( array( '', '/tmp', '/pages' ) as $sub ) {
			@mkdir( self::$dir . $sub, 0777, true );
		}
		self::$ports = array(
			'https'   => self::free_port(),
			'http'    => self::free_port(),
			'backend' => self::free_port(),
			'closed'  => self::free_port(),
		);
		self::exec_or_fail( array( 'openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', self::$dir . '/key.pem', '-out', self::$dir . '/cert.pem' ) );
		file_put_contents( self::$dir . '/pages/wordfence-block.html', self::tools_fixture( 'pages/wordfence-block.html' ) );

		$env = array(
			'KCO_DB_SOCKET'   => getenv( 'KCO_DB_SOCKET' ),
			'KCO_DB_NAME'     => getenv( 'KCO_DB_NAME' ),
			'KCO_DB_USER'     => getenv( 'KCO_DB_USER' ),
			'KCO_DB_PASSWORD' => getenv( 'KCO_DB_PASSWORD' ),
			'KCO_FIXTURES'    => KCO_TEST_FIXTURES,
			'PATH'            => getenv( 'PATH' ),
		);
		self::$backend = proc_open(
			array( PHP_BINARY, '-d', 'extension=' . getenv( 'KCO_EXT' ), '-d', 'error_reporting=-1', '-d', 'display_errors=0', '-d', 'log_errors=1', '-d', 'error_log=' . self::$dir . '/php-errors.log', '-S', '127.0.0.1:' . self::$ports['backend'], dirname( __DIR__ ) . '/support/probe-router.php' ),
			array( 0 => array( 'file', '/dev/null', 'r' ), 1 => array( 'file', self::$dir . '/backend.out', 'a' ), 2 => array( 'file', self::$dir . '/backend.out', 'a' ) ),
			$pipes,
			null,
			$env
		);
		self::wait_for_port( self::$ports['backend'], self::$backend, self::$dir . '/backend.out' );

		self::write_config( 'pass' );
		self::$nginx = proc_open(
			array( '/usr/sbin/nginx', '-p', self::$dir . '/', '-c', self::$dir . '/nginx.conf', '-e', self::$dir . '/nginx-error.log' ),
			array( 0 => array( 'file', '/dev/null', 'r' ), 1 => array( 'file', self::$dir . '/nginx.out', 'a' ), 2 => array( 'file', self::$dir . '/nginx.out', 'a' ) ),
			$pipes
		);
		self::wait_for_port( self::$ports['https'], self::$nginx, self::$dir . '/nginx.out' );
		self::wait_for_generation();
	}

	public static function tearDownAfterClass(): void {
		foreach ( array( self::$nginx, self::$backend ) as $proc ) {
			if ( is_resource( $proc ) ) {
				proc_terminate( $proc, 15 );
				for ( $i = 0; $i < 50 && proc_get_status( $proc )['running']; $i++ ) {
					usleep( 100000 );
				}
				if ( proc_get_status( $proc )['running'] ) {
					proc_terminate( $proc, 9 );
				}
				proc_close( $proc );
			}
		}
		$errors = @file_get_contents( self::$dir . '/php-errors.log' );
		exec( 'rm -rf ' . escapeshellarg( self::$dir ) );
		parent::tearDownAfterClass();
		if ( is_string( $errors ) && '' !== $errors ) {
			throw new \RuntimeException( 'the backend logged PHP errors: ' . $errors );
		}
	}

	/** The nginx config for a mode; each write bumps the generation that /__gen answers. */
	private static function write_config( string $mode ): void {
		++self::$generation;
		$d      = self::$dir;
		$p      = self::$ports;
		$gen    = self::$generation;
		$user   = 0 === posix_geteuid() ? 'user root root;' : '';
		$proxy  = "proxy_pass http://127.0.0.1:{$p['backend']}; proxy_set_header Host \$host; proxy_http_version 1.1; proxy_read_timeout 10s;";
		$blocks = array(
			'pass'          => '',
			'http-pass'     => '',
			'block-403'     => 'location ^~ /wc-api/ { return 403; }',
			'cloudflare'    => 'location ^~ /wc-api/ { add_header CF-RAY "8e1a2b3c4d5e6f70-ARN" always; return 403; }',
			'wordfence-503' => "location ^~ /wc-api/ { error_page 503 /wordfence-block.html; return 503; }\n    location = /wordfence-block.html { internal; root {$d}/pages; }",
			'redirect'      => 'location = /wc-api/KCO_WC_Validation/ { return 301 /wc-api/KCO_WC_Validation$is_args$args; }',
			'not-found'     => 'location ^~ /wc-api/ { return 404; }',
			'rate-limit'    => 'location ^~ /wc-api/ { return 429; }',
		);
		$http_root = 'http-pass' === $mode ? "location / { {$proxy} }" : "location / { return 301 https://127.0.0.1:{$p['https']}\$request_uri; }";
		$conf      = <<<CONF
{$user}
worker_processes 1;
daemon off;
pid {$d}/nginx.pid;
error_log {$d}/nginx-error.log warn;
events { worker_connections 64; }
http {
  access_log {$d}/nginx-access.log;
  client_body_temp_path {$d}/tmp/body;
  proxy_temp_path {$d}/tmp/proxy;
  fastcgi_temp_path {$d}/tmp/fastcgi;
  uwsgi_temp_path {$d}/tmp/uwsgi;
  scgi_temp_path {$d}/tmp/scgi;
  default_type text/html;
  server {
    listen 127.0.0.1:{$p['https']} ssl;
    server_name 127.0.0.1;
    ssl_certificate {$d}/cert.pem;
    ssl_certificate_key {$d}/key.pem;
    location = /__gen { return 200 "{$gen}"; }
    {$blocks[ $mode ]}
    location / { {$proxy} }
  }
  server {
    listen 127.0.0.1:{$p['http']};
    server_name 127.0.0.1;
    location = /__gen { return 200 "{$gen}"; }
    {$http_root}
  }
}
CONF;
		file_put_contents( $d . '/nginx.conf', $conf );
	}

	/** Waits (at most 10 s) until both servers answer /__gen with the current generation. */
	private static function wait_for_generation(): void {
		$ctx = stream_context_create(
			array(
				'http' => array( 'timeout' => 1, 'ignore_errors' => true ),
				'ssl'  => array( 'cafile' => self::$dir . '/cert.pem', 'peer_name' => '127.0.0.1' ),
			)
		);
		$deadline = microtime( true ) + 10;
		while ( microtime( true ) < $deadline ) {
			$https = @file_get_contents( 'https://127.0.0.1:' . self::$ports['https'] . '/__gen', false, $ctx );
			$http  = @file_get_contents( 'http://127.0.0.1:' . self::$ports['http'] . '/__gen', false, $ctx );
			if ( (string) self::$generation === $https && (string) self::$generation === $http ) {
				return;
			}
			usleep( 50000 );
		}
		throw new \RuntimeException( 'nginx did not load generation ' . self::$generation . ': ' . @file_get_contents( self::$dir . '/nginx-error.log' ) );
	}

	/** Pids of the processes whose parent is $ppid (from /proc). */
	private static function children( int $ppid ): array {
		$pids = array();
		foreach ( (array) glob( '/proc/[0-9]*/stat' ) as $stat ) {
			$line = @file_get_contents( $stat );
			// pid (comm) state ppid …: comm may hold spaces, so read after the last ')'.
			if ( is_string( $line ) && false !== ( $end = strrpos( $line, ')' ) ) ) {
				$fields = explode( ' ', trim( substr( $line, $end + 2 ) ) );
				if ( isset( $fields[1] ) && (int) $fields[1] === $ppid ) {
					$pids[] = (int) substr( $line, 0, (int) strpos( $line, ' ' ) );
				}
			}
		}
		return $pids;
	}

	/**
	 * Rewrites the config, reloads nginx (SIGHUP to the master), waits until the new config answers and the old
	 * workers are gone (an old worker still accepting would answer with the previous config).
	 */
	private static function reconfigure( string $mode ): void {
		self::write_config( $mode );
		$pid = (int) trim( (string) file_get_contents( self::$dir . '/nginx.pid' ) );
		$old = self::children( $pid );
		if ( $pid <= 0 || array() === $old || ! posix_kill( $pid, SIGHUP ) ) {
			throw new \RuntimeException( 'cannot reload nginx' );
		}
		self::wait_for_generation();
		$deadline = microtime( true ) + 10;
		while ( array() !== array_intersect( $old, self::children( $pid ) ) ) {
			if ( microtime( true ) > $deadline ) {
				throw new \RuntimeException( 'old nginx workers did not exit' );
			}
			usleep( 20000 );
		}
	}

	protected function setUp(): void {
		parent::setUp();
		// The shop's public address is the nginx HTTPS server; the self-signed certificate is trusted the way a
		// public one would be (Requests still verifies the peer and the name).
		$GLOBALS['kco_test_options']['home'] = 'https://127.0.0.1:' . self::$ports['https'];
		$cert                                = self::$dir . '/cert.pem';
		add_filter( 'kco_validation_doctor_request_args', static fn ( array $args ) => array( 'sslcertificates' => $cert ) + $args );
	}

	/**
	 * Runs `wp kco-validation doctor` and keeps its output as an artifact.
	 *
	 * @return array{0: int, 1: list<string>}
	 */
	private function doctor( string $case, array $assoc = array() ): array {
		[ $code, $out, $err ] = self::cli( fn () => ( new CliCommand() )->doctor( array(), $assoc ) );
		$this->assertSame( array(), $err );
		self::artifact( 'doctor-' . $case . '.txt', '$ wp kco-validation doctor' . ( isset( $assoc['url'] ) ? ' --url=' . $assoc['url'] : '' ) . "\n" . implode( "\n", $out ) . "\n(exit {$code})\n" );
		return array( $code, $out );
	}

	public function test_403_from_the_server_is_blocked_and_the_plugin_list_names_the_blocker(): void {
		self::reconfigure( 'block-403' );
		[ $code, $out ] = $this->doctor( '403' );
		$this->assertSame( 1, $code );
		$this->assertSame( 'state:    blocked', $out[0] );
		$this->assertContains( 'status:   403', $out );
		$this->assertContains( 'blocker:  nginx', $out, 'nginx\'s own 403 page says who answered' );
		$this->assertMatchesRegularExpression( '/^evidence: page text "<center>nginx(\/[0-9.]+)?<\/center>" at byte \d+ of \d+$/m', implode( "\n", $out ) );
		$this->assertContains( 'Blocked: 403 from the web server (nginx\'s own error page).', $out );

		update_option( 'active_plugins', array( 'woocommerce/woocommerce.php', 'all-in-one-wp-security-and-firewall/wp-security.php' ) );
		[ $code, $out ] = $this->doctor( '403-aiowps-active' );
		$this->assertSame( 1, $code );
		$this->assertContains( 'blocker:  nginx', $out, 'an active security plugin is no evidence' );
		$this->assertContains( 'hint:     All In One WP Security is active; the answer does not look like its block page.', $out );
	}

	public function test_403_with_cf_ray_is_cloudflare(): void {
		self::reconfigure( 'cloudflare' );
		[ $code, $out ] = $this->doctor( '403-cloudflare' );
		$this->assertSame( 1, $code );
		// nginx's page with Cloudflare's ray header: it came through Cloudflare, but Cloudflare did not block it.
		$this->assertContains( 'blocker:  nginx', $out );
		$this->assertContains( 'hint:     The answer came through Cloudflare (header cf-ray: 8e1a2b3c4d5e6f70-ARN), but it is not Cloudflare\'s own block page.', $out );
	}

	public function test_503_block_page_is_wordfence(): void {
		self::reconfigure( 'wordfence-503' );
		[ $code, $out ] = $this->doctor( '503-wordfence' );
		$this->assertSame( 1, $code );
		$this->assertSame( 'state:    blocked', $out[0] );
		$this->assertContains( 'status:   503', $out );
		$this->assertContains( 'blocker:  wordfence', $out );
		$this->assertMatchesRegularExpression( '/^evidence: page text "(This response was generated|Generated) by Wordfence/m', implode( "\n", $out ) );
		$this->assertStringContainsString( 'Allowlisted URLs', end( $out ) );
	}

	public function test_trailing_slash_redirect(): void {
		self::reconfigure( 'redirect' );
		[ $code, $out ] = $this->doctor( 'redirect-trailing-slash' );
		$this->assertSame( 1, $code );
		$this->assertSame( 'state:    redirected', $out[0] );
		$this->assertMatchesRegularExpression( '~^redirect: trailing_slash -> https://127\.0\.0\.1:' . self::$ports['https'] . '/wc-api/KCO_WC_Validation\?kco-action=validation&kco_wc_order_id=~m', implode( "\n", $out ) );
	}

	public function test_http_to_https_redirect(): void {
		self::reconfigure( 'pass' );
		$url            = 'http://127.0.0.1:' . self::$ports['http'] . '/wc-api/KCO_WC_Validation/?kco-action=validation';
		[ $code, $out ] = $this->doctor( 'redirect-http-https', array( 'url' => $url ) );
		$this->assertSame( 1, $code );
		$this->assertContains( 'redirect: https -> https://127.0.0.1:' . self::$ports['https'] . '/wc-api/KCO_WC_Validation/?kco-action=validation', $out );
	}

	public function test_404_and_429(): void {
		self::reconfigure( 'not-found' );
		[ $code, $out ] = $this->doctor( '404' );
		$this->assertSame( 1, $code );
		$this->assertSame( 'state:    not_found', $out[0] );

		self::reconfigure( 'rate-limit' );
		[ $code, $out ] = $this->doctor( '429' );
		$this->assertSame( 1, $code );
		$this->assertSame( 'state:    blocked', $out[0] );
		$this->assertContains( 'status:   429', $out );
	}

	public function test_pass_is_reachable_through_the_plugin(): void {
		self::reconfigure( 'pass' );
		[ $code, $out ] = $this->doctor( 'pass' );
		$this->assertSame( 0, $code, implode( "\n", $out ) );
		$this->assertSame( 'state:    reachable', $out[0] );
		$this->assertContains( 'status:   200', $out );
		$this->assertContains( 'extension: ' . \KcoValidation\version(), $out );
		$this->assertMatchesRegularExpression( '/^time:     \d+ ms \(Klarna waits 3000 ms, 10000 ms for orders that require the callback\)$/', $out[3] );
		$this->assertLessThan( 3000, (int) substr( $out[3], 10 ) );
	}

	public function test_pass_over_plain_http_is_not_https(): void {
		self::reconfigure( 'http-pass' );
		$url            = 'http://127.0.0.1:' . self::$ports['http'] . '/wc-api/KCO_WC_Validation/?kco-action=validation';
		[ $code, $out ] = $this->doctor( 'not-https', array( 'url' => $url ) );
		$this->assertSame( 1, $code );
		$this->assertSame( 'state:    not_https', $out[0] );
	}

	public function test_bad_signature_reaches_the_endpoint_not_the_probe_answer(): void {
		self::reconfigure( 'pass' );
		add_filter( 'salt', static fn () => 'not-the-shops-salt' );
		[ $code, $out ] = $this->doctor( 'wrong-salt' );
		$this->assertSame( 0, $code, 'the endpoint answered, so Klarna reaches it' );
		$this->assertContains( 'status:   400', $out );
		$this->assertStringContainsString( 'not as a probe', implode( "\n", $out ) );
	}

	public function test_nothing_listening_is_unreachable(): void {
		[ $code, $out ] = $this->doctor( 'unreachable', array( 'url' => 'https://127.0.0.1:' . self::$ports['closed'] . '/wc-api/KCO_WC_Validation/' ) );
		$this->assertSame( 1, $code );
		$this->assertSame( 'state:    unreachable', $out[0] );
		$this->assertStringContainsString( 'could not be reached', implode( "\n", $out ) );
	}

	public function test_an_untrusted_certificate_is_unreachable_as_klarna_would_see_it(): void {
		self::reconfigure( 'pass' );
		remove_all_filters( 'kco_validation_doctor_request_args' );
		[ $code, $out ] = $this->doctor( 'untrusted-certificate' );
		$this->assertSame( 1, $code );
		$this->assertSame( 'state:    unreachable', $out[0] );
		$this->assertStringContainsString( 'certificate is not valid for this host or not trusted', implode( "\n", $out ) );
	}
}
