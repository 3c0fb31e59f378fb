--TEST--
Many decisions in one process: the Zend heap stays flat (denials, approvals and exceptions alike)
--EXTENSIONS--
kco_validation
--FILE--
<?php
require __DIR__ . '/helpers.inc';
$body = order_body();
$ok = store();
$bad = store(fn(&$s) => $s['products']['KOPP-STG-01']['stock_quantity'] = 1);
$run = function (int $n) use ($body, $ok, $bad) {
    for ($i = 0; $i < $n; $i++) {
        KcoValidation\Order::parse($body)->validate($i % 2 ? $ok : $bad);
        try { KcoValidation\Order::parse('{}'); } catch (KcoValidation\InvalidPayload $e) {}
    }
};
$run(1000);
$before = memory_get_usage();
$run(20000);
$growth = memory_get_usage() - $before;
var_dump($growth < 4096 ? 'flat' : "grew by $growth bytes");
?>
--EXPECT--
string(4) "flat"
