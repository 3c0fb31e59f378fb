<?php
/**
 * Makes N decisions of one kind, for counting instructions under callgrind (scripts/bench.sh): instruction counts
 * do not depend on the machine's load, unlike timings.
 *
 *   valgrind --tool=callgrind php -n -d extension=… benches/php/count.php LINES WHAT N
 *
 * WHAT: ext (parse + validate), parse, validate (of one parsed order), yardstick, strict (the yardstick checking
 * the snapshot first), none.
 *
 * "none" builds the input and decides nothing: the baseline to subtract.
 */

require __DIR__ . '/Yardstick.php';
require __DIR__ . '/generate.inc';

use KcoValidation\Bench\Yardstick;

[, $lines, $which, $n] = $argv + [null, '10', 'none', '100'];
[$body, $store] = bench_case((int) $lines);
$n = (int) $n;
switch ($which) {
    case 'ext':
        for ($i = 0; $i < $n; $i++) {
            KcoValidation\Order::parse($body)->validate($store);
        }
        break;
    case 'parse':
        for ($i = 0; $i < $n; $i++) {
            KcoValidation\Order::parse($body);
        }
        break;
    case 'validate':
        $order = KcoValidation\Order::parse($body);
        for ($i = 0; $i < $n; $i++) {
            $order->validate($store);
        }
        break;
    case 'yardstick':
        for ($i = 0; $i < $n; $i++) {
            Yardstick::decide($body, $store);
        }
        break;
    case 'strict':
        for ($i = 0; $i < $n; $i++) {
            Yardstick::decide($body, $store, true);
        }
        break;
    case 'none':
        break;
    default:
        fwrite(STDERR, "count.php: ext, parse, validate, yardstick, strict or none\n");
        exit(2);
}
