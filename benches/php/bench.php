<?php
/**
 * The extension against the plain-PHP yardstick, in one PHP process, on the same decisions.
 *
 *   php -n -d extension=target/release/libkco_validation.so benches/php/bench.php [--sizes=1,10,30,100]
 *       [--rounds=7] [--target-ms=150] [--markdown] [--json=FILE]
 *
 * For each order size (goods lines; each order also has a discount line and a shipping_fee line) it builds a
 * deterministic order and its approving store (benches/php/generate.inc), checks that both implementations
 * approve it with identical verdicts (exit 1 otherwise: the bench measures nothing if they disagree), then times
 *   (a) KcoValidation\Order::parse($body)->validate($store)   — including the crossing into and out of PHP
 *   (b) Yardstick::decide($body, $store)                      — json_decode + the same checks in PHP
 *   (c) Yardstick::decide($body, $store, true)                — the same, checking the snapshot key by key first,
 *                                                               as the extension does (like for like)
 * with hrtime(). Each measurement is a batch of iterations sized to last about --target-ms; the batches of (a),
 * (b) and (c) alternate, --rounds times, and the median µs per decision of each is reported with the ratios b/a
 * (the headline: against the cheaper yardstick) and c/a. --json writes the figures for scripts/bench.sh.
 * Timings are never asserted: only the agreement of the two implementations is.
 */

require __DIR__ . '/Yardstick.php';
require __DIR__ . '/generate.inc';

use KcoValidation\Bench\Yardstick;

$opts = getopt('', ['sizes:', 'rounds:', 'target-ms:', 'markdown', 'json:']);
$sizes = array_map('intval', explode(',', $opts['sizes'] ?? '1,10,30,100'));
$rounds = max(1, (int) ($opts['rounds'] ?? 7));
$targetNs = (int) (($opts['target-ms'] ?? 150) * 1e6);
$markdown = isset($opts['markdown']);

if (!extension_loaded('kco_validation')) {
    fwrite(STDERR, "bench.php: the kco_validation extension is not loaded (php -d extension=…/libkco_validation.so)\n");
    exit(2);
}

$ext = static function (string $body, array $store, int $n): int {
    $t = hrtime(true);
    for ($i = 0; $i < $n; $i++) {
        KcoValidation\Order::parse($body)->validate($store);
    }
    return hrtime(true) - $t;
};
$php = static function (string $body, array $store, int $n): int {
    $t = hrtime(true);
    for ($i = 0; $i < $n; $i++) {
        Yardstick::decide($body, $store);
    }
    return hrtime(true) - $t;
};
$strict = static function (string $body, array $store, int $n): int {
    $t = hrtime(true);
    for ($i = 0; $i < $n; $i++) {
        Yardstick::decide($body, $store, true);
    }
    return hrtime(true) - $t;
};

/** Iterations that take about $targetNs. */
$calibrate = static function (callable $run, string $body, array $store) use ($targetNs): int {
    $n = 1;
    while (true) {
        $ns = $run($body, $store, $n);
        if ($ns >= $targetNs / 4 || $n >= 1 << 24) {
            return max(1, (int) ($n * $targetNs / max($ns, 1)));
        }
        $n *= 4;
    }
};

$median = static function (array $xs): float {
    sort($xs);
    $c = count($xs);
    return $c % 2 ? $xs[intdiv($c, 2)] : ($xs[$c / 2 - 1] + $xs[$c / 2]) / 2;
};

$jit = function_exists('opcache_get_status') && ($s = @opcache_get_status(false)) && !empty($s['jit']['on']);
$opcache = function_exists('opcache_get_status') && !empty(@opcache_get_status(false)['opcache_enabled']);
$mode = $jit ? 'opcache + JIT' : ($opcache ? 'opcache, no JIT' : 'no opcache');

$rows = [];
$failed = false;
foreach ($sizes as $size) {
    [$body, $store] = bench_case($size);
    $a = KcoValidation\Order::parse($body)->validate($store);
    $b = Yardstick::decide($body, $store);
    if (!$a['approved'] || !$b['approved'] || $a !== $b || Yardstick::decide($body, $store, true) !== $b) {
        fwrite(STDERR, "bench.php: the generated order of $size lines is not approved by both implementations\n"
            . '  extension: ' . json_encode($a['codes']) . ' ' . json_encode($a['failures'] ? $a['failures'][0] : null) . "\n"
            . '  yardstick: ' . json_encode($b['codes']) . ' ' . json_encode($b['failures'] ? $b['failures'][0] : null) . "\n");
        $failed = true;
        continue;
    }
    $nExt = $calibrate($ext, $body, $store);
    $nPhp = $calibrate($php, $body, $store);
    $nStrict = $calibrate($strict, $body, $store);
    $usExt = [];
    $usPhp = [];
    $usStrict = [];
    for ($r = 0; $r < $rounds; $r++) {
        $usExt[] = $ext($body, $store, $nExt) / $nExt / 1000;
        $usPhp[] = $php($body, $store, $nPhp) / $nPhp / 1000;
        $usStrict[] = $strict($body, $store, $nStrict) / $nStrict / 1000;
    }
    $e = $median($usExt);
    $p = $median($usPhp);
    $c = $median($usStrict);
    $rows[] = [
        'lines' => $size,
        'order_lines' => count(json_decode($body, true)['order_lines']),
        'body_bytes' => strlen($body),
        'ext_us' => $e,
        'ext_min' => min($usExt),
        'ext_max' => max($usExt),
        'php_us' => $p,
        'php_min' => min($usPhp),
        'php_max' => max($usPhp),
        'ratio' => $p / $e,
        'strict_us' => $c,
        'strict_ratio' => $c / $e,
        'iterations' => [$nExt, $nPhp, $nStrict],
    ];
}

$target = 10.0;
if ($markdown) {
    printf("PHP %s (%s), %d rounds per figure, median (min–max) µs per decision:\n\n", PHP_VERSION, $mode, $rounds);
    echo "| goods lines | Klarna lines | body | extension µs | yardstick µs | ratio | ≥ 10× | strict yardstick µs | ratio |\n";
    echo "|---:|---:|---:|---:|---:|---:|:---:|---:|---:|\n";
    foreach ($rows as $r) {
        printf("| %d | %d | %.1f KiB | %.1f (%.1f–%.1f) | %.1f (%.1f–%.1f) | **%.1f×** | %s | %.1f | %.1f× |\n", $r['lines'], $r['order_lines'],
            $r['body_bytes'] / 1024, $r['ext_us'], $r['ext_min'], $r['ext_max'], $r['php_us'], $r['php_min'], $r['php_max'],
            $r['ratio'], $r['ratio'] >= $target ? 'yes' : '**no**', $r['strict_us'], $r['strict_ratio']);
    }
} else {
    printf("PHP %s (%s), extension %s; %d rounds, median µs per decision\n", PHP_VERSION, $mode,
        KcoValidation\version(), $rounds);
    printf("%6s %6s %9s %14s %14s %8s %14s %8s\n", 'lines', 'klarna', 'body', 'extension µs', 'yardstick µs', 'ratio',
        'strict µs', 'ratio');
    foreach ($rows as $r) {
        printf("%6d %6d %8.1fK %14.2f %14.2f %7.1fx %14.2f %7.1fx%s\n", $r['lines'], $r['order_lines'], $r['body_bytes'] / 1024,
            $r['ext_us'], $r['php_us'], $r['ratio'], $r['strict_us'], $r['strict_ratio'],
            $r['ratio'] >= $target ? '' : '  (below the 10x target)');
    }
}
if (isset($opts['json'])) {
    file_put_contents($opts['json'], json_encode(['php' => PHP_VERSION, 'mode' => $mode, 'rounds' => $rounds, 'rows' => $rows],
        JSON_PRETTY_PRINT) . "\n");
}
exit($failed ? 1 : 0);
