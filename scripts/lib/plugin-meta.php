<?php
/**
 * Checks the plugin's metadata before it is zipped (scripts/dist.sh) and in the zip's test (scripts/test-dist.sh):
 * readme.txt as wordpress.org's readme parser reads it, and its headers against the main file's plugin headers and
 * Cargo.toml's version, so the zip, the .deb and the shop all say one version.
 *
 * Usage: php scripts/lib/plugin-meta.php PLUGIN_DIR [CARGO_TOML]
 * Prints one line per problem and exits 1; else prints "plugin-meta: ok …" and exits 0.
 *
 * @package KcoValidation
 */

declare(strict_types=1);

$dir   = rtrim( $argv[1] ?? '', '/' );
$cargo = $argv[2] ?? '';
$bad   = array();
$fail  = static function ( string $problem ) use ( &$bad ): void {
	$bad[] = $problem;
};

// The main file's plugin headers (WordPress's get_file_data(): the first 8 KiB, "Name: value" lines).
$main = (string) @file_get_contents( "{$dir}/kco-validation.php", false, null, 0, 8192 );
if ( '' === $main ) {
	fwrite( STDERR, "plugin-meta: no {$dir}/kco-validation.php\n" );
	exit( 1 );
}
preg_match_all( '/^[ \t\/*#@]*([A-Za-z][A-Za-z ]*?):[ \t]*(.+?)[ \t]*$/m', $main, $m );
$plugin = array_combine( $m[1], $m[2] );

// readme.txt: "=== Name ===", header lines up to the first blank line, a short description, then sections.
$readme = (string) @file_get_contents( "{$dir}/readme.txt" );
$lines  = preg_split( '/\r?\n/', $readme );
$name   = preg_match( '/^===\s*(.+?)\s*===$/', $lines[0] ?? '', $n ) ? $n[1] : null;
$head   = array();
$i      = 1;
for ( ; $i < count( $lines ) && '' !== trim( $lines[ $i ] ); $i++ ) {
	if ( preg_match( '/^([A-Za-z][A-Za-z ]*):\s*(.*)$/', $lines[ $i ], $h ) ) {
		$head[ $h[1] ] = trim( $h[2] );
	} else {
		$fail( "readme.txt: header line {$i} is not \"Name: value\": {$lines[ $i ]}" );
	}
}
for ( ; $i < count( $lines ) && '' === trim( $lines[ $i ] ); $i++ ) {
}
$short = trim( $lines[ $i ] ?? '' );

if ( null === $name ) {
	$fail( 'readme.txt: the first line must be "=== Plugin Name ==="' );
} elseif ( $name !== ( $plugin['Plugin Name'] ?? null ) ) {
	$fail( "readme.txt names the plugin \"{$name}\", the main file \"" . ( $plugin['Plugin Name'] ?? '' ) . '"' );
}
foreach ( array( 'Contributors', 'Tags', 'Requires at least', 'Tested up to', 'Requires PHP', 'Stable tag', 'License', 'License URI', 'WC requires at least', 'WC tested up to' ) as $key ) {
	if ( '' === ( $head[ $key ] ?? '' ) ) {
		$fail( "readme.txt: header \"{$key}\" is missing" );
	}
}
if ( count( array_filter( array_map( 'trim', explode( ',', $head['Tags'] ?? '' ) ) ) ) > 5 ) {
	$fail( 'readme.txt: more than 5 tags (wordpress.org shows the first 5 only)' );
}
foreach ( array( 'Requires at least', 'Tested up to', 'Requires PHP', 'WC requires at least', 'WC tested up to' ) as $key ) {
	if ( ! preg_match( '/^\d+\.\d+(\.\d+)?$/', $head[ $key ] ?? '' ) ) {
		$fail( "readme.txt: \"{$key}\" is not a version: " . ( $head[ $key ] ?? '' ) );
	}
}
if ( '' === $short || str_starts_with( $short, '==' ) ) {
	$fail( 'readme.txt: no short description after the headers' );
} elseif ( strlen( $short ) > 150 ) {
	$fail( 'readme.txt: the short description has ' . strlen( $short ) . ' characters (wordpress.org cuts it at 150)' );
}
foreach ( array( 'Description', 'Installation', 'Frequently Asked Questions', 'Changelog' ) as $section ) {
	if ( ! preg_match( '/^==\s*' . preg_quote( $section, '/' ) . '\s*==\s*$/m', $readme ) ) {
		$fail( "readme.txt: no \"== {$section} ==\" section" );
	}
}

// One version everywhere; the readme and the main file agree on every requirement.
$version = $plugin['Version'] ?? '';
if ( ! preg_match( "/define\(\s*'KCO_VALIDATION_PLUGIN_VERSION',\s*'" . preg_quote( $version, '/' ) . "'\s*\)/", $main ) ) {
	$fail( "kco-validation.php: KCO_VALIDATION_PLUGIN_VERSION is not the Version header ({$version})" );
}
if ( ( $head['Stable tag'] ?? '' ) !== $version ) {
	$fail( 'readme.txt: Stable tag ' . ( $head['Stable tag'] ?? '' ) . " is not the plugin's Version {$version}" );
}
if ( ! preg_match( '/^==\s*Changelog\s*==.*?^=\s*' . preg_quote( $version, '/' ) . '\s*=\s*$/ms', $readme ) ) {
	$fail( "readme.txt: the Changelog has no \"= {$version} =\" entry" );
}
if ( '' !== $cargo ) {
	$toml = (string) @file_get_contents( $cargo );
	$crate = preg_match( '/^version\s*=\s*"([^"]+)"/m', $toml, $c ) ? $c[1] : '';
	if ( $crate !== $version ) {
		$fail( "Cargo.toml's version {$crate} is not the plugin's {$version} (the plugin checks the extension's version)" );
	}
}
foreach ( array( 'Requires at least', 'Requires PHP', 'WC requires at least', 'WC tested up to', 'License', 'License URI' ) as $key ) {
	if ( ( $head[ $key ] ?? null ) !== ( $plugin[ $key ] ?? null ) ) {
		$fail( "\"{$key}\": readme.txt says " . ( $head[ $key ] ?? '(none)' ) . ', kco-validation.php ' . ( $plugin[ $key ] ?? '(none)' ) );
	}
}
if ( 'kco-validation' !== ( $plugin['Text Domain'] ?? '' ) ) {
	$fail( 'kco-validation.php: Text Domain must be the plugin folder\'s name, kco-validation' );
}
if ( ! is_dir( $dir . '/' . trim( $plugin['Domain Path'] ?? '', '/' ) ) || '' === trim( $plugin['Domain Path'] ?? '', '/' ) ) {
	$fail( 'kco-validation.php: Domain Path ' . ( $plugin['Domain Path'] ?? '(none)' ) . ' is not a folder of the plugin' );
}

if ( $bad ) {
	foreach ( $bad as $problem ) {
		fwrite( STDERR, "plugin-meta: {$problem}\n" );
	}
	exit( 1 );
}
printf(
	"plugin-meta: ok (version %s; requires WordPress %s, PHP %s, WooCommerce %s; tested up to WordPress %s, WooCommerce %s)\n",
	$version,
	$head['Requires at least'],
	$head['Requires PHP'],
	$head['WC requires at least'],
	$head['Tested up to'],
	$head['WC tested up to']
);
