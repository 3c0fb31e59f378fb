<?php
/**
 * Turns what the probe saw into a diagnosis.
 *
 * @package KcoValidation\Plugin
 */

declare( strict_types=1 );

namespace KcoValidation\Plugin\Tools;

use KcoValidation\Plugin\Requirements;

defined( 'ABSPATH' ) || exit;

/**
 * Pure: no I/O. Input is what the probe observed (status, headers, the first bytes of the body, timing, the
 * transport error, the URL) and the active plugins; output is a Diagnosis in plain words with the fix.
 */
class ProbeClassifier {

	/** The path to allow in firewalls. */
	const ALLOW_PATH = '/wc-api/KCO_WC_Validation/*';

	/**
	 * How much of the body is read and looked at: whole block pages (Wordfence's is ~17 KB with its marker at the
	 * end), never an unbounded download.
	 */
	const BODY_BYTES = 262144;

	/** Security plugins by main file (a hint when active, never evidence). */
	const SECURITY_PLUGINS = array(
		'wordfence/wordfence.php'                                => 'wordfence',
		'sucuri-scanner/sucuri.php'                              => 'sucuri',
		'better-wp-security/better-wp-security.php'              => 'ithemes',
		'ithemes-security-pro/ithemes-security-pro.php'          => 'ithemes',
		'all-in-one-wp-security-and-firewall/wp-security.php'    => 'aiowps',
		'all-in-one-wp-security-and-firewall-premium/wp-security-premium.php' => 'aiowps',
	);

	/** Markers of a challenge (JavaScript/CAPTCHA) page of any vendor. */
	const CHALLENGE_MARKERS = array( 'captcha', 'challenge-platform', 'are you a robot', 'checking your browser', 'enable javascript and cookies' );

	/** Statuses that mean "refused" when something other than the plugin answers. */
	const REFUSALS = array( 401, 403, 405, 406, 429, 444, 451, 503 );

	/**
	 * Classifies one probe.
	 *
	 * @param array<string, mixed> $observed       url, status (int|null), headers (name => value), body (string, up to
	 *                                              BODY_BYTES), body_bytes (int: the body's full length, when known),
	 *                                              elapsed_ms (float), error (string|null: transport error).
	 * @param list<string>         $active_plugins Active plugin files (option active_plugins + network ones).
	 */
	public function classify( array $observed, array $active_plugins = array() ): Diagnosis {
		$url     = (string) ( $observed['url'] ?? '' );
		$status  = isset( $observed['status'] ) && is_numeric( $observed['status'] ) ? (int) $observed['status'] : null;
		$headers = self::normalize_headers( is_array( $observed['headers'] ?? null ) ? $observed['headers'] : array() );
		$body    = substr( (string) ( $observed['body'] ?? '' ), 0, self::BODY_BYTES );
		$length  = isset( $observed['body_bytes'] ) && is_numeric( $observed['body_bytes'] ) ? max( strlen( $body ), (int) $observed['body_bytes'] ) : strlen( $body );
		$error   = isset( $observed['error'] ) && is_string( $observed['error'] ) && '' !== $observed['error'] ? $observed['error'] : null;
		$base    = array(
			'url'          => $url,
			'status'       => $status,
			'elapsed_ms'   => (float) ( $observed['elapsed_ms'] ?? 0 ),
			'body_bytes'   => null === $status ? null : $length,
			'content_type' => $headers['content-type'] ?? null,
		);

		if ( null !== $error || null === $status ) {
			return $this->with_hints( $this->unreachable( $base, (string) $error ), null, $headers, $active_plugins );
		}

		$probe = self::probe_answer( $status, $body );
		if ( null !== $probe ) {
			return $this->answered( $base, $probe );
		}
		if ( self::endpoint_answer( $status, $headers, $body ) ) {
			return $this->endpoint_answered( $base, $status, $headers, $body );
		}
		if ( $status >= 300 && $status < 400 ) {
			return $this->with_hints( $this->redirected( $base, $headers['location'] ?? '' ), null, $headers, $active_plugins );
		}

		$match     = BlockerSignatures::match( $headers, $body, $length );
		$challenge = self::looks_like_challenge( $headers, $body );
		if ( 404 === $status && ( null === $match || 'web_server' === $match['kind'] ) ) {
			$diagnosis = null === $match
				? $this->not_found( $base, __( 'The server answered 404 Not Found: WordPress did not route /wc-api/KCO_WC_Validation/ to WooCommerce.', 'kco-validation' ) )
				: $this->not_found(
					$base + array( 'evidence' => $match['evidence'] ),
					sprintf(
						/* translators: %s: web server name */
						__( 'The web server answered 404 Not Found by itself (%s\'s own page): the request never reached WordPress.', 'kco-validation' ),
						$match['name']
					)
				);
		} elseif ( 400 === $status && '-1' === trim( $body ) ) {
			$diagnosis = $this->not_found( $base, __( 'WooCommerce answered, but nothing handles KCO_WC_Validation: the KCO Validation plugin (or WooCommerce\'s API handler) is not active on this site.', 'kco-validation' ) );
		} elseif ( null !== $match && in_array( $match['kind'], array( 'php' ), true ) ) {
			$diagnosis = $this->server_error( $base, $status, $match );
		} elseif ( null !== $match && 'maintenance' === $match['product'] ) {
			$diagnosis = $this->blocked( $base, $status, $match, $challenge, $body );
		} elseif ( null !== $match && 'cloudflare' === $match['product'] && $status >= 520 && $status <= 527 ) {
			$diagnosis = $this->server_error( $base, $status, $match );
		} elseif ( null !== $match && 'web_server' === $match['kind'] && $status >= 500 && ! in_array( $status, self::REFUSALS, true ) ) {
			$diagnosis = $this->server_error( $base, $status, $match );
		} elseif ( in_array( $status, self::REFUSALS, true ) || $challenge || ( null !== $match && 'web_server' !== $match['kind'] ) || 200 === $status ) {
			$diagnosis = $this->blocked( $base, $status, $match, $challenge, $body );
		} elseif ( $status >= 500 ) {
			$diagnosis = $this->server_error( $base, $status, $match );
		} else {
			$diagnosis = $this->unreachable( $base, sprintf( 'HTTP %d', $status ) );
		}
		return $this->with_hints( $diagnosis, $match, $headers, $active_plugins );
	}

	/**
	 * Adds the hints the answer alone cannot prove: the CDN the answer passed through, and every active security plugin
	 * that the answer does not show (never as the blocker).
	 *
	 * @param Diagnosis                                                           $diagnosis      Diagnosis.
	 * @param array{product: string, name: string, kind: string, evidence: string}|null $match          What the answer showed.
	 * @param array<string, string>                                               $headers        Headers.
	 * @param list<string>                                                        $active_plugins Active plugins.
	 */
	private function with_hints( Diagnosis $diagnosis, ?array $match, array $headers, array $active_plugins ): Diagnosis {
		$via = BlockerSignatures::via( $headers );
		if ( null !== $via && ( null === $match || $match['product'] !== $via['product'] ) ) {
			$diagnosis->hints[] = sprintf(
				/* translators: 1: CDN or firewall name, 2: the header seen */
				__( 'The answer came through %1$s (%2$s), but it is not %1$s\'s own block page.', 'kco-validation' ),
				$via['name'],
				$via['evidence']
			);
		}
		if ( ! in_array( $diagnosis->state, array( 'blocked', 'unreachable' ), true ) ) {
			return $diagnosis;
		}
		$seen = array();
		foreach ( self::SECURITY_PLUGINS as $file => $product ) {
			if ( isset( $seen[ $product ] ) || ! in_array( $file, $active_plugins, true ) || ( null !== $match && $match['product'] === $product ) ) {
				continue;
			}
			$seen[ $product ]   = true;
			$diagnosis->hints[] = sprintf(
				/* translators: %s: security plugin name */
				__( '%s is active; the answer does not look like its block page.', 'kco-validation' ),
				BlockerSignatures::name( $product )
			);
		}
		return $diagnosis;
	}

	/**
	 * Header names in lower case, values as one string.
	 *
	 * @param array<array-key, mixed> $headers Headers.
	 * @return array<string, string>
	 */
	public static function normalize_headers( array $headers ): array {
		$out = array();
		foreach ( $headers as $name => $value ) {
			$out[ strtolower( (string) $name ) ] = is_array( $value ) ? implode( ', ', array_map( 'strval', $value ) ) : (string) $value;
		}
		return $out;
	}

	/**
	 * The decoded probe answer (`{"probe":"ok","extension":…}` with 200), or null.
	 *
	 * @param int    $status Status.
	 * @param string $body   Body.
	 * @return array{extension: string|null}|null
	 */
	public static function probe_answer( int $status, string $body ): ?array {
		if ( 200 !== $status ) {
			return null;
		}
		$data = json_decode( trim( $body ), true );
		if ( ! is_array( $data ) || 'ok' !== ( $data['probe'] ?? null ) || ! array_key_exists( 'extension', $data ) ) {
			return null;
		}
		return array( 'extension' => is_string( $data['extension'] ) && '' !== $data['extension'] ? $data['extension'] : null );
	}

	/**
	 * Whether the plugin's endpoint itself answered: its 400 JSON (`invalid_request`, or the fault policy's), or its
	 * 303 denial (a Location carrying `kco_validation=`).
	 *
	 * @param int                   $status  Status.
	 * @param array<string, string> $headers Headers.
	 * @param string                $body    Body.
	 */
	private static function endpoint_answer( int $status, array $headers, string $body ): bool {
		if ( 303 === $status ) {
			return str_contains( $headers['location'] ?? '', 'kco_validation=' );
		}
		if ( 400 !== $status ) {
			return false;
		}
		$data = json_decode( trim( $body ), true );
		return is_array( $data ) && isset( $data['error_type'], $data['error_text'] );
	}

	/**
	 * The plugin's endpoint answered the probe as a callback (the probe's signature was not accepted there).
	 *
	 * @param array<string, mixed>  $base    Common values.
	 * @param int                   $status  Status.
	 * @param array<string, string> $headers Headers.
	 * @param string                $body    Body.
	 */
	private function endpoint_answered( array $base, int $status, array $headers, string $body ): Diagnosis {
		$data  = json_decode( trim( $body ), true );
		$token = is_array( $data ) && 'invalid token' === ( $data['error_text'] ?? null );
		return new Diagnosis(
			$base + array(
				'state'       => 'reachable',
				'evidence'    => 303 === $status ? 'Location: ' . ( $headers['location'] ?? '' ) : 'body ' . trim( substr( $body, 0, 200 ) ),
				'summary'     => __( 'The validation endpoint answered, but not as a probe.', 'kco-validation' ),
				'explanation' => $token
					? __( 'The plugin\'s endpoint answered the request itself and refused the URL\'s token, so Klarna reaches it; the server behind this URL signs with other salts (wp-config.php) than this site, so its callbacks would be refused the same way.', 'kco-validation' )
					: __( 'The plugin\'s endpoint answered the request itself, so Klarna reaches it; the probe signature was not accepted there (the server behind this URL may have other salts in wp-config.php, another plugin version, or a clock more than two minutes off).', 'kco-validation' ),
			)
		);
	}

	/**
	 * Whether the answer is an HTML challenge page rather than an API answer.
	 *
	 * @param array<string, string> $headers Headers.
	 * @param string                $body    Body.
	 */
	public static function looks_like_challenge( array $headers, string $body ): bool {
		if ( isset( $headers['cf-mitigated'] ) ) {
			return true;
		}
		$page = strtolower( $body );
		if ( ! str_contains( $page, '<html' ) && ! str_contains( $page, '<!doctype html' ) ) {
			return false;
		}
		foreach ( self::CHALLENGE_MARKERS as $marker ) {
			if ( str_contains( $page, $marker ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * No answer at all.
	 *
	 * @param array<string, mixed> $base  Common values.
	 * @param string               $error Transport error.
	 */
	private function unreachable( array $base, string $error ): Diagnosis {
		$timeout = 1 === preg_match( '/timed? ?out|timeout/i', $error );
		$network = 1 === preg_match( '/refused|resolve|getaddrinfo|name or service|no route|unreachable|reset by peer/i', $error );
		$tls     = ! $network && 1 === preg_match( '/certificate|ssl operation|ssl routines|ssl_connect|handshake|\btls\b|crypto/i', $error );
		if ( $timeout ) {
			$explanation = sprintf(
				/* translators: %d: milliseconds */
				__( 'No answer came back within %d ms. Klarna waits 3 seconds for the validation callback and then the purchase fails: the site is too slow, or a firewall drops the request without answering.', 'kco-validation' ),
				(int) round( $base['elapsed_ms'] )
			);
			$fix = __( 'Check that the shop answers quickly from outside (no VPN, no IP allow-list that leaves Klarna out), and that no firewall silently drops POST requests to /wc-api/KCO_WC_Validation/*.', 'kco-validation' );
		} elseif ( $tls ) {
			$explanation = __( 'The HTTPS connection failed: the certificate is not valid for this host or not trusted. Klarna verifies certificates and will not send the callback.', 'kco-validation' );
			$fix         = __( 'Install a certificate from a public authority (for example Let\'s Encrypt) that covers the shop\'s host name, with its full chain.', 'kco-validation' );
		} elseif ( null !== $base['status'] ) {
			$explanation = sprintf(
				/* translators: %d: HTTP status */
				__( 'The server answered %d instead of the plugin: the request failed before WordPress could answer it.', 'kco-validation' ),
				(int) $base['status']
			);
			$fix = __( 'Look at the web server\'s and PHP\'s error logs for this request.', 'kco-validation' );
		} else {
			$explanation = __( 'The shop could not be reached at its own public address: the name does not resolve, the connection is refused, or the site is only reachable inside a private network. Klarna cannot send callbacks to such a site.', 'kco-validation' );
			$fix         = __( 'Make the shop reachable from the internet on its public HTTPS address; a staging site behind a VPN cannot use Klarna Checkout\'s validation callback.', 'kco-validation' );
		}
		$kind = $timeout ? 'timeout' : ( $tls ? 'tls' : ( null !== $base['status'] ? 'http' : 'network' ) );
		return new Diagnosis(
			$base + array(
				'state'       => 'unreachable',
				'failure'     => $kind,
				'evidence'    => $error,
				'summary'     => '' !== $error ? sprintf( 'Unreachable: %s', $error ) : 'Unreachable.',
				'explanation' => $explanation,
				'fix'         => $fix,
			)
		);
	}

	/**
	 * A 3xx answer.
	 *
	 * @param array<string, mixed> $base     Common values.
	 * @param string               $location Location header.
	 */
	private function redirected( array $base, string $location ): Diagnosis {
		$target = self::absolute( $location, $base['url'] );
		$from   = wp_parse_url( $base['url'] );
		$to     = wp_parse_url( $target );
		$from   = is_array( $from ) ? $from : array();
		$to     = is_array( $to ) ? $to : array();
		$fpath  = (string) ( $from['path'] ?? '/' );
		$tpath  = (string) ( $to['path'] ?? '/' );
		$fhost  = strtolower( (string) ( $from['host'] ?? '' ) );
		$thost  = strtolower( (string) ( $to['host'] ?? '' ) );
		if ( 'http' === ( $from['scheme'] ?? '' ) && 'https' === ( $to['scheme'] ?? '' ) ) {
			$kind   = 'https';
			$reason = __( 'The server redirects http:// to https://, so the shop\'s own address (WordPress Address and Site Address) still starts with http://. Klarna needs the callback URL itself to be HTTPS and does not follow redirects.', 'kco-validation' );
			$fix    = __( 'In Settings › General set both the WordPress Address and the Site Address to https://, so the plugin gives Klarna an HTTPS URL that answers directly.', 'kco-validation' );
		} elseif ( str_contains( $tpath, 'wp-login.php' ) || str_contains( $tpath, '/login' ) ) {
			$kind   = 'login';
			$reason = __( 'The request is sent to a login page: a maintenance, "coming soon", membership or password-protection plugin covers /wc-api/.', 'kco-validation' );
			$fix    = sprintf(
				/* translators: %s: path */
				__( 'Exclude %s from that plugin\'s protection.', 'kco-validation' ),
				self::ALLOW_PATH
			);
		} elseif ( $fhost === $thost && rtrim( $fpath, '/' ) === rtrim( $tpath, '/' ) ) {
			$kind   = 'trailing_slash';
			$reason = __( 'The server adds or removes the trailing slash of /wc-api/KCO_WC_Validation/. A redirect answer is not 200, 303 or 400, so Klarna treats the callback as failed (and a 303 would even be read as a refusal).', 'kco-validation' );
			$fix    = __( 'Remove the rule that rewrites the trailing slash for /wc-api/ (web server, CDN page rule, or an SEO/redirection plugin).', 'kco-validation' );
		} elseif ( $fhost !== $thost && '' !== $thost ) {
			$kind   = 'host';
			$reason = __( 'The server sends the request to another host name (for example with or without www). Klarna posts to the URL it was given and does not follow the redirect.', 'kco-validation' );
			$fix    = __( 'Set the WordPress Address and Site Address in Settings › General to the host name the server answers on, without a redirect.', 'kco-validation' );
		} else {
			$kind   = 'other';
			$reason = __( 'The server redirects the callback elsewhere (a language prefix, a redirection plugin or a page rule). Klarna does not follow redirects for the validation callback.', 'kco-validation' );
			$fix    = sprintf(
				/* translators: %s: path */
				__( 'Exclude %s from redirects and language prefixes.', 'kco-validation' ),
				self::ALLOW_PATH
			);
		}
		return new Diagnosis(
			$base + array(
				'state'         => 'redirected',
				'location'      => $target,
				'redirect_kind' => $kind,
				'summary'       => sprintf(
					/* translators: 1: status, 2: target URL */
					__( 'Redirected: %1$d to %2$s.', 'kco-validation' ),
					(int) $base['status'],
					$target
				),
				'explanation'   => $reason,
				'fix'           => $fix,
			)
		);
	}

	/**
	 * The probe answer arrived.
	 *
	 * @param array<string, mixed>          $base  Common values.
	 * @param array{extension: string|null} $probe Decoded answer.
	 */
	private function answered( array $base, array $probe ): Diagnosis {
		$base['extension'] = $probe['extension'];
		$version           = $probe['extension'];
		if ( null === $version ) {
			return new Diagnosis(
				$base + array(
					'state'       => 'extension_missing',
					'summary'     => __( 'Reachable, but the kco_validation PHP extension is not loaded.', 'kco-validation' ),
					'explanation' => __( 'Klarna reaches the shop, but the web server\'s PHP has no kco_validation extension, so the plugin does not decide the callbacks.', 'kco-validation' ),
					'fix'         => __( 'Install the extension for the PHP version the web server runs (php -v under the web server, not only the command line) and restart PHP-FPM.', 'kco-validation' ),
				)
			);
		}
		if ( ! ( version_compare( $version, Requirements::MIN_EXTENSION_VERSION, '>=' ) && version_compare( $version, Requirements::MAX_EXTENSION_VERSION, '<' ) ) ) {
			return new Diagnosis(
				$base + array(
					'state'       => 'extension_incompatible',
					'summary'     => sprintf(
						/* translators: %s: version */
						__( 'Reachable, but the kco_validation extension %s is not supported by this plugin.', 'kco-validation' ),
						$version
					),
					'explanation' => sprintf(
						/* translators: 1: lowest version, 2: first unsupported version */
						__( 'The plugin works with extension versions from %1$s up to (not including) %2$s; with another version it stays inactive.', 'kco-validation' ),
						Requirements::MIN_EXTENSION_VERSION,
						Requirements::MAX_EXTENSION_VERSION
					),
					'fix'         => __( 'Install the extension release that matches this plugin version, or update the plugin.', 'kco-validation' ),
				)
			);
		}
		if ( 'http' === wp_parse_url( $base['url'], PHP_URL_SCHEME ) ) {
			return new Diagnosis(
				$base + array(
					'state'       => 'not_https',
					'summary'     => __( 'Reachable, but over plain http://.', 'kco-validation' ),
					'explanation' => __( 'Klarna only sends the validation callback to HTTPS URLs, and the plugin builds the URL from the shop\'s address, which starts with http://.', 'kco-validation' ),
					'fix'         => __( 'Install a certificate and set the WordPress Address and Site Address in Settings › General to https://.', 'kco-validation' ),
				)
			);
		}
		$ms   = (int) round( $base['elapsed_ms'] );
		$slow = $base['elapsed_ms'] > Diagnosis::KLARNA_BUDGET_MS;
		return new Diagnosis(
			$base + array(
				'state'       => 'reachable',
				'summary'     => sprintf(
					/* translators: 1: milliseconds, 2: extension version */
					__( 'Reachable: the validation endpoint answered in %1$d ms (extension %2$s).', 'kco-validation' ),
					$ms,
					$version
				),
				'explanation' => $slow
					? sprintf(
						/* translators: %d: milliseconds */
						__( 'The answer took %d ms, longer than the 3 seconds Klarna waits: real callbacks, which also read the cart, may fail. Look for slow plugins on every request or an overloaded server.', 'kco-validation' ),
						$ms
					)
					: sprintf(
						/* translators: %d: milliseconds */
						__( 'Klarna\'s callbacks reach the plugin. The probe took %d ms of the 3 seconds Klarna waits.', 'kco-validation' ),
						$ms
					),
			)
		);
	}

	/**
	 * A 404.
	 *
	 * @param array<string, mixed> $base   Common values.
	 * @param string               $reason What was seen.
	 */
	private function not_found( array $base, string $reason ): Diagnosis {
		return new Diagnosis(
			$base + array(
				'state'       => 'not_found',
				'summary'     => __( 'Not found: the validation URL does not reach WooCommerce.', 'kco-validation' ),
				'explanation' => $reason . ' ' . __( 'Klarna\'s /wc-api/ URL needs pretty permalinks, and nothing (a language plugin, a redirect) may put a prefix before /wc-api/.', 'kco-validation' ),
				'fix'         => __( 'In Settings › Permalinks choose any structure other than "Plain" and press Save Changes (this also rebuilds the rewrite rules); make sure WooCommerce and KCO Validation are active, and that a multilingual plugin leaves /wc-api/ without a language prefix.', 'kco-validation' ),
			)
		);
	}

	/**
	 * The name of a blocker in a summary.
	 *
	 * @param array{product: string, name: string, kind: string, evidence: string}|null $match What the answer showed.
	 */
	private static function answerer( ?array $match ): string {
		if ( null === $match ) {
			return __( 'something that does not say what it is', 'kco-validation' );
		}
		if ( 'web_server' === $match['kind'] ) {
			return sprintf(
				/* translators: %s: web server name (nginx, Apache, …) */
				__( 'the web server (%s\'s own error page)', 'kco-validation' ),
				$match['name']
			);
		}
		return $match['name'];
	}

	/**
	 * Refused (401, 403, 429, 503, …), a challenge page, a firewall's page, or a page where the plugin's answer belongs.
	 * The blocker is named only when the answer shows it; `unknown` otherwise.
	 *
	 * @param array<string, mixed>                                                      $base      Common values.
	 * @param int                                                                       $status    Status.
	 * @param array{product: string, name: string, kind: string, evidence: string}|null $match     What the answer showed.
	 * @param bool                                                                      $challenge A challenge page.
	 * @param string                                                                    $body      Body.
	 */
	private function blocked( array $base, int $status, ?array $match, bool $challenge, string $body ): Diagnosis {
		$allow = '/wc-api/KCO_WC_Validation/';
		$fixes = array(
			'cloudflare'  => __( 'In Cloudflare › Security › WAF › Custom rules add a rule "URI Path starts with /wc-api/KCO_WC_Validation/" with the action Skip (all remaining custom rules, rate limiting, managed rules, Super Bot Fight Mode / Browser Integrity Check). Klarna\'s servers cannot solve challenges.', 'kco-validation' ),
			'sucuri'      => __( 'In the Sucuri Firewall dashboard › Settings › Access Control › Allowlist URL Paths add /wc-api/KCO_WC_Validation/ (or allowlist Klarna\'s callback IP addresses).', 'kco-validation' ),
			'wordfence'   => __( 'In Wordfence › Firewall › All Firewall Options › Allowlisted URLs add the URL /wc-api/KCO_WC_Validation/ (POST body and query string), check Wordfence › Tools › Live Traffic for the blocked request (its Block Reason names the rule), and make sure Rate Limiting and Country Blocking do not cover Klarna\'s servers.', 'kco-validation' ),
			'ithemes'     => __( 'In Security › Settings check the ban list and lockouts for Klarna\'s addresses and exclude /wc-api/KCO_WC_Validation/ from "Filter Request Methods", "Filter Suspicious Query Strings" and the banned-user agents rules; then remove the matching lines from .htaccess or nginx.conf if the plugin wrote them there.', 'kco-validation' ),
			'aiowps'      => __( 'In WP Security › Firewall turn off the 6G/5G blacklist rule that matches, or add an allow rule for /wc-api/KCO_WC_Validation/; check WP Security › Firewall › Blacklist for Klarna\'s addresses and the "Internet bots" settings.', 'kco-validation' ),
			'modsecurity' => __( 'The host\'s ModSecurity refused the request: ask the host (or, on your own server, the audit log /var/log/modsec_audit.log) which rule id matched, and disable that rule for /wc-api/KCO_WC_Validation/ (SecRuleRemoveById inside a LocationMatch), rather than ModSecurity as a whole.', 'kco-validation' ),
			'maintenance' => __( 'Finish or cancel the update that left WordPress in maintenance mode (delete the .maintenance file in the WordPress folder).', 'kco-validation' ),
			'web_server'  => __( 'The web server answered by itself: look in its configuration for a rule that covers /wc-api/ (nginx: return, deny, limit_req, an auth_basic; Apache: Require, a RewriteRule with [F], .htaccess lines a security plugin wrote) and in its error log for this request, and allow POST requests to /wc-api/KCO_WC_Validation/* from anywhere, without challenge, login or rate limit.', 'kco-validation' ),
			'unknown'     => __( 'Find the rule that answers this request (the web server or host firewall such as ModSecurity, a CDN, or a security plugin: its log of blocked requests) and allow POST requests to /wc-api/KCO_WC_Validation/* from anywhere, without challenge, login or rate limit.', 'kco-validation' ),
		);
		$product = null === $match ? 'unknown' : ( 'web_server' === $match['kind'] ? 'web_server' : $match['product'] );
		if ( 401 === $status ) {
			$why = __( 'The site asks for a password (HTTP authentication), which Klarna\'s servers cannot give.', 'kco-validation' );
		} elseif ( 429 === $status ) {
			$why = __( 'The request was rate limited (429 Too Many Requests). Klarna sends its callbacks from a few addresses, so a rate limit can hit them at busy times.', 'kco-validation' );
		} elseif ( $challenge ) {
			$why = __( 'An HTML challenge page (CAPTCHA or JavaScript check) answered instead of the shop. Klarna\'s servers cannot solve it, so every callback fails.', 'kco-validation' );
		} elseif ( 'maintenance' === $product ) {
			$why = __( 'WordPress is in maintenance mode (a .maintenance file is present), so every request gets 503.', 'kco-validation' );
		} elseif ( 200 === $status ) {
			$why = __( 'Something other than the plugin answered with a page (a page cache, a maintenance or "coming soon" plugin, or a firewall page): Klarna would take this 200 for an approval without any check.', 'kco-validation' );
		} elseif ( 'web_server' === $product ) {
			$why = sprintf(
				/* translators: 1: HTTP status, 2: web server name */
				__( 'The request was refused with %1$d by the web server itself (%2$s\'s own error page): neither WordPress nor a security plugin answered, so the rule is in the server\'s configuration, a firewall module of the server, or a proxy in front of it.', 'kco-validation' ),
				$status,
				null === $match ? '' : $match['name']
			);
		} elseif ( 'unknown' === $product ) {
			$why = sprintf(
				/* translators: %d: HTTP status */
				__( 'The request was refused with %d before it reached the plugin, and nothing in the answer says by what.', 'kco-validation' ),
				$status
			);
		} else {
			$why = sprintf(
				/* translators: 1: HTTP status, 2: product name */
				__( 'The request was refused with %1$d by %2$s: the answer is its block page.', 'kco-validation' ),
				$status,
				null === $match ? '' : $match['name']
			);
		}
		return new Diagnosis(
			$base + array(
				'state'       => 'blocked',
				'blocker'     => null === $match ? 'unknown' : $match['product'],
				'evidence'    => null === $match ? '' : $match['evidence'],
				'summary'     => sprintf(
					/* translators: 1: status, 2: who answered */
					__( 'Blocked: %1$d from %2$s.', 'kco-validation' ),
					$status,
					self::answerer( $match )
				),
				'explanation' => $why . ' ' . __( 'Klarna then cannot complete the purchase ("Sorry, this purchase cannot be processed").', 'kco-validation' ),
				'fix'         => $fixes[ $product ] ?? $fixes['unknown'],
			)
		);
	}

	/**
	 * The request failed on the server: a PHP fatal error, the web server's own 5xx (PHP not answering), a CDN that
	 * could not reach the shop.
	 *
	 * @param array<string, mixed>                                                      $base   Common values.
	 * @param int                                                                       $status Status.
	 * @param array{product: string, name: string, kind: string, evidence: string}|null $match  What the answer showed.
	 */
	private function server_error( array $base, int $status, ?array $match ): Diagnosis {
		$kind = null === $match ? 'unknown' : $match['kind'];
		if ( 'php' === $kind ) {
			$why = __( 'PHP stopped with a fatal error while answering the callback (WordPress\'s "critical error" page or PHP\'s own message), in a plugin, the theme or this plugin.', 'kco-validation' );
			$fix = __( 'Read PHP\'s error log (or wp-content/debug.log with WP_DEBUG_LOG) for the fatal error of this request and the file it names; WordPress also emails the site administrator a recovery-mode link naming the plugin or theme.', 'kco-validation' );
		} elseif ( 'cdn' === $kind ) {
			$why = sprintf(
				/* translators: 1: status, 2: CDN name */
				__( '%2$s answered %1$d: it could not get an answer from the shop\'s server (down, too slow, or refusing %2$s\'s addresses).', 'kco-validation' ),
				$status,
				null === $match ? '' : $match['name']
			);
			$fix = __( 'Make sure the shop\'s server answers the CDN (its firewall allows the CDN\'s addresses, PHP is running, the certificate the CDN expects is installed).', 'kco-validation' );
		} elseif ( 'web_server' === $kind ) {
			$why = sprintf(
				/* translators: 1: status, 2: web server name */
				__( 'The web server answered %1$d with %2$s\'s own error page: PHP did not answer it (PHP-FPM stopped, overloaded or too slow for the server\'s timeout).', 'kco-validation' ),
				$status,
				null === $match ? '' : $match['name']
			);
			$fix = __( 'Look at the web server\'s error log for this request and at PHP-FPM\'s log (pool full, worker killed, timeout).', 'kco-validation' );
		} else {
			$why = sprintf(
				/* translators: %d: HTTP status */
				__( 'The server answered %d: the request failed before the plugin could answer it, and the answer does not say where.', 'kco-validation' ),
				$status
			);
			$fix = __( 'Look at the web server\'s and PHP\'s error logs for this request.', 'kco-validation' );
		}
		return new Diagnosis(
			$base + array(
				'state'       => 'server_error',
				'answered_by' => null === $match ? null : $match['product'],
				'evidence'    => null === $match ? '' : $match['evidence'],
				'summary'     => sprintf(
					/* translators: 1: status, 2: what answered */
					__( 'Server error: %1$d from %2$s.', 'kco-validation' ),
					$status,
					null === $match ? __( 'the server', 'kco-validation' ) : ( 'web_server' === $kind ? self::answerer( $match ) : $match['name'] )
				),
				'explanation' => $why . ' ' . __( 'Klarna then cannot complete the purchase ("Sorry, this purchase cannot be processed").', 'kco-validation' ),
				'fix'         => $fix,
			)
		);
	}

	/**
	 * A Location made absolute against the request URL.
	 *
	 * @param string $location Location header.
	 * @param string $base     Request URL.
	 */
	public static function absolute( string $location, string $base ): string {
		if ( '' === $location || 1 === preg_match( '~^[a-z][a-z0-9+.-]*://~i', $location ) ) {
			return $location;
		}
		$parts  = wp_parse_url( $base );
		$parts  = is_array( $parts ) ? $parts : array();
		$origin = ( $parts['scheme'] ?? 'https' ) . '://' . ( $parts['host'] ?? '' ) . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' );
		if ( str_starts_with( $location, '//' ) ) {
			return ( $parts['scheme'] ?? 'https' ) . ':' . $location;
		}
		if ( str_starts_with( $location, '/' ) ) {
			return $origin . $location;
		}
		$dir = (string) ( $parts['path'] ?? '/' );
		$dir = substr( $dir, 0, (int) strrpos( $dir, '/' ) + 1 );
		return $origin . $dir . $location;
	}
}
