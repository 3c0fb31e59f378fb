--TEST--
Garbage in any argument gives a PHP exception, never a crash or a Rust panic (seeded random bodies and snapshots)
--EXTENSIONS--
kco_validation
--CAPTURE_STDIO--
STDIN STDOUT
--FILE--
<?php
require __DIR__ . '/helpers.inc';
mt_srand(20261124);
$body = order_body();
$base = store();
$panics = 0; $outcomes = ['ok' => 0, 'InvalidPayload' => 0, 'InvalidArgumentException' => 0];
$values = [null, true, false, 0, -1, PHP_INT_MAX, PHP_INT_MIN, 1.5, NAN, INF, '', 'x', "\xff", '1e3', '-0.005',
           [], [1, 2], ['a' => 1], str_repeat('9', 40), "\r\n"];
// Mutated bodies: flipped bytes, cut ends, spliced values.
for ($i = 0; $i < 3000; $i++) {
    $b = $body;
    switch ($i % 3) {
        case 0: for ($k = 0; $k < 3; $k++) { $b[mt_rand(0, strlen($b) - 1)] = chr(mt_rand(0, 255)); } break;
        case 1: $b = substr($b, 0, mt_rand(0, strlen($b))); break;
        case 2: $b = preg_replace('/\d+/', (string) $values[mt_rand(0, 6)], $b, 1 + mt_rand(0, 5)); break;
    }
    try { KcoValidation\Order::parse($b)->validate($base); $outcomes['ok']++; }
    catch (KcoValidation\InvalidPayload $e) { $outcomes['InvalidPayload']++; }
    catch (Error $e) { $panics++; echo get_class($e), ': ', $e->getMessage(), "\n"; }
}
// Random values put at random places of the snapshot.
$order = KcoValidation\Order::parse($body);
$paths = [];
$walk = function ($a, $p) use (&$walk, &$paths) { foreach ($a as $k => $v) { $paths[] = [...$p, $k]; if (is_array($v)) $walk($v, [...$p, $k]); } };
$walk($base, []);
for ($i = 0; $i < 3000; $i++) {
    $s = $base;
    $ref = &$s;
    foreach ($paths[mt_rand(0, count($paths) - 1)] as $k) { $ref = &$ref[$k]; }
    $ref = $values[mt_rand(0, count($values) - 1)];
    unset($ref);
    try { $order->validate($s); $outcomes['ok']++; }
    catch (InvalidArgumentException $e) { $outcomes['InvalidArgumentException']++; }
    catch (Error $e) { $panics++; echo get_class($e), ': ', $e->getMessage(), "\n"; }
}
var_dump($panics);
var_dump($outcomes['ok'] > 0, $outcomes['InvalidPayload'] > 0, $outcomes['InvalidArgumentException'] > 0);
?>
--EXPECT--
int(0)
bool(true)
bool(true)
bool(true)
