<?php
/**
 * 100 000 decisions in one PHP process: the Zend heap (memory_get_usage()) and the process RSS (VmRSS) must stay
 * flat. The extension's Rust allocations use the system allocator, so a leak there shows in RSS, not in
 * memory_get_usage(); PHP values it creates (the verdict arrays, exceptions) show in memory_get_usage().
 *
 *   php -n -d extension=target/release/libkco_validation.so benches/memory/decisions.php [--decisions=100000]
 *       [--markdown]
 *
 * The mix, per ten decisions: four approved 10-line orders, two denied 10-line orders (several failures, so
 * messages, params and the redirect URL are built), one approved 100-line order, one approved 1-line order, one body
 * that is not an order (InvalidPayload thrown) and one snapshot with a mistyped key (\InvalidArgumentException
 * thrown). A warm-up of 2 000 decisions comes first (allocator arenas, PHP's caches);
 * then the figures are taken before, at every tenth of the run, and after.
 *
 * Exit 1 when the Zend heap grew by more than 4 KiB or RSS by more than 1 MiB over the run ("not flat").
 */

require __DIR__ . '/../php/generate.inc';

$opts = getopt('', ['decisions:', 'markdown']);
$total = (int) ($opts['decisions'] ?? 100000);
$markdown = isset($opts['markdown']);

if (!extension_loaded('kco_validation')) {
    fwrite(STDERR, "decisions.php: the kco_validation extension is not loaded\n");
    exit(2);
}

function rss_kib(): int
{
    $status = @file_get_contents('/proc/self/status');
    return ($status !== false && preg_match('/^VmRSS:\s+(\d+) kB/m', $status, $m)) ? (int) $m[1] : -1;
}

[$body10, $store10] = bench_case(10);
[$body100, $store100] = bench_case(100);
$denied = $store10;
$denied['products']['SKU-00000']['stock_quantity'] = 0;
$denied['products']['SKU-00000']['manage_stock'] = true;
$denied['cart']['total'] = '1.00';
$denied['cart']['coupons'][] = 'gone';
$mistyped = $store10;
$mistyped['products']['SKU-00001']['held'] = 'many';

[$body1, $store1] = bench_case(1);
$counts = ['approved' => 0, 'denied' => 0, 'invalid_payload' => 0, 'invalid_argument' => 0];
$decide = static function (int $i) use ($body1, $store1, $body10, $store10, $body100, $store100, $denied, $mistyped, &$counts): void {
    switch ($i % 10) {
        case 4:
        case 5:
            $v = KcoValidation\Order::parse($body10)->validate($denied);
            break;
        case 6:
            $v = KcoValidation\Order::parse($body100)->validate($store100);
            break;
        case 7:
            try {
                KcoValidation\Order::parse('{"order_id":"x","order_lines":[{"quantity":1.5}]}');
            } catch (KcoValidation\InvalidPayload $e) {
                $counts['invalid_payload']++;
            }
            return;
        case 8:
            try {
                KcoValidation\Order::parse($body10)->validate($mistyped);
            } catch (InvalidArgumentException $e) {
                $counts['invalid_argument']++;
            }
            return;
        case 9:
            $v = KcoValidation\Order::parse($body1)->validate($store1);
            break;
        default:
            $v = KcoValidation\Order::parse($body10)->validate($store10);
    }
    $counts[$v['approved'] ? 'approved' : 'denied']++;
};

for ($i = 0; $i < 2000; $i++) {
    $decide($i);
}
$counts = array_map(fn() => 0, $counts);
// Allocated up front, filled in place: the series must not itself grow the heap it measures.
$step = max(1, intdiv($total, 10));
$atN = array_fill(0, intdiv($total, $step), 0);
$atMem = $atN;
$atRss = $atN;
$atMem[0] = $atRss[0] = 0; // separate the copies now, not inside the run
$k = 0;
$t = 0;
gc_collect_cycles();
$memBefore = memory_get_usage();
$realBefore = memory_get_usage(true);
$rssBefore = rss_kib();
$t = hrtime(true);
for ($i = 0; $i < $total; $i++) {
    $decide($i);
    if (($i + 1) % $step === 0) {
        $k = intdiv($i + 1, $step) - 1;
        $atN[$k] = $i + 1;
        $atMem[$k] = memory_get_usage();
        $atRss[$k] = rss_kib();
    }
}
$seconds = (hrtime(true) - $t) / 1e9;
gc_collect_cycles();
$memAfter = memory_get_usage();
$realAfter = memory_get_usage(true);
$rssAfter = rss_kib();
$series = array_map(null, $atN, $atMem, $atRss);

$heapGrowth = $memAfter - $memBefore;
$rssGrowth = $rssAfter - $rssBefore;
$flat = $heapGrowth <= 4096 && $rssGrowth <= 1024;
$tenth = intdiv($total, 10);
$mixOk = $counts['invalid_payload'] >= $tenth && $counts['invalid_argument'] >= $tenth && $counts['approved'] >= 6 * $tenth
    && $counts['denied'] >= 2 * $tenth;

if ($markdown) {
    printf("%d decisions in %.1f s (%s)\n\n", $total, $seconds, json_encode($counts));
    echo "| | before | after | growth |\n|---|---:|---:|---:|\n";
    printf("| memory_get_usage() | %d B | %d B | %+d B |\n", $memBefore, $memAfter, $heapGrowth);
    printf("| memory_get_usage(true) | %d B | %d B | %+d B |\n", $realBefore, $realAfter, $realAfter - $realBefore);
    printf("| VmRSS | %d KiB | %d KiB | %+d KiB |\n\n", $rssBefore, $rssAfter, $rssGrowth);
    echo 'Along the run (decisions: memory_get_usage / VmRSS KiB): ',
        implode(', ', array_map(fn($s) => "{$s[0]}: {$s[1]} / {$s[2]}", $series)), "\n\n";
    echo $flat ? "**Flat** (Zend heap growth ≤ 4 KiB, RSS growth ≤ 1 MiB).\n" : "**NOT flat.**\n";
} else {
    printf("%d decisions in %.1f s: %s\n", $total, $seconds, json_encode($counts));
    printf("memory_get_usage(): %d -> %d bytes (%+d)\n", $memBefore, $memAfter, $heapGrowth);
    printf("memory_get_usage(true): %d -> %d bytes (%+d)\n", $realBefore, $realAfter, $realAfter - $realBefore);
    printf("VmRSS: %d -> %d KiB (%+d)\n", $rssBefore, $rssAfter, $rssGrowth);
    foreach ($series as [$n, $mem, $rss]) {
        printf("  after %6d: memory_get_usage %d, VmRSS %d KiB\n", $n, $mem, $rss);
    }
    echo $flat ? "flat\n" : "NOT flat\n";
}
if (!$mixOk) {
    fwrite(STDERR, 'decisions.php: the mix did not go as planned: ' . json_encode($counts) . "\n");
}
exit($flat && $mixOk ? 0 : 1);
