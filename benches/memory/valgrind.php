<?php
/**
 * What benches/memory/valgrind.sh runs under valgrind memcheck (USE_ZEND_ALLOC=0): every entry point of the
 * extension, on every path — approvals, denials of every kind, error_json answers, accessors, InvalidPayload and
 * \InvalidArgumentException (missing key, mistyped key, float money, a list where a map belongs, a self-referencing
 * array), version() and build_info(). Prints one line per path; exit 1 if any path did not behave as planned.
 */

require __DIR__ . '/../php/generate.inc';

$rounds = (int) ($argv[1] ?? 20);
[$body, $store] = bench_case(10);
$ok = 0;
$bad = [];
$expect = function (string $what, bool $cond) use (&$ok, &$bad): void {
    $cond ? $ok++ : $bad[$what] = true;
};

$denials = [
    'stock' => function (&$s) { $s['products']['SKU-00000']['stock_quantity'] = 1; $s['products']['SKU-00000']['manage_stock'] = true; $s['products']['SKU-00000']['backorders'] = 'no'; },
    'unknown' => function (&$s) { unset($s['products']['SKU-00001']); },
    'session' => function (&$s) { $s['session']['found'] = false; $s['session']['klarna_order_id'] = 'other'; },
    'coupon' => function (&$s) { $s['cart']['coupons'][] = 'gone'; $s['coupons']['bench10']['expires'] = 1; $s['coupons']['bench10']['minimum_amount'] = '999999'; },
    'totals' => function (&$s) { $s['cart']['total'] = '1.00'; $s['cart']['lines'][0]['quantity'] = 9; },
    'shipping' => function (&$s) { $s['cart']['available_shipping'] = $s['cart']['chosen_shipping'] = []; },
    'error_json' => function (&$s) { $s['options']['response_mode'] = 'error_json'; $s['currency'] = 'EUR'; },
];
$snapshotErrors = [
    'missing key' => function (&$s) { unset($s['cart']['total']); },
    'mistyped key' => function (&$s) { $s['products']['SKU-00001']['held'] = 'many'; },
    'float money' => function (&$s) { $s['cart']['total'] = 12.5; },
    'list for a map' => function (&$s) { $s['session'] = [1, 2]; },
    'bad url' => function (&$s) { $s['urls']['cart'] = "https://x/\r\nSet-Cookie: a"; },
    'self reference' => function (&$s) { $s['cart']['lines'][0]['extra'] = &$s['cart']; },
];
$badBodies = ['', '[]', '{', '{"order_id":1}', str_replace('"quantity":', '"quantity":-', $body), "\xff\xfe", "\xEF\xBB\xBF{}"];

for ($r = 0; $r < $rounds; $r++) {
    $o = KcoValidation\Order::parse($body);
    $expect('approved', $o->validate($store)['approved'] === true);
    $expect('accessors', $o->id() !== '' && $o->currency() === 'SEK' && $o->country() === 'SE' && $o->locale() === 'sv-SE'
        && count($o->references()) === 10 && $o->coupons() === ['bench10'] && $o->billingEmail() !== null
        && $o->shippingReferences() === ['flat_rate:3']);
    foreach ($denials as $name => $change) {
        $s = $store;
        $change($s);
        $v = $o->validate($s);
        $expect("denial $name", $v['approved'] === false && $v['failures'] !== []);
    }
    foreach ($snapshotErrors as $name => $change) {
        $s = $store;
        $change($s);
        try {
            $o->validate($s);
            $expect("snapshot error $name", false);
        } catch (InvalidArgumentException $e) {
            $expect("snapshot error $name", $e->getMessage() !== '');
        }
        unset($s);
    }
    foreach ($badBodies as $i => $b) {
        try {
            KcoValidation\Order::parse($b);
            $expect("bad body $i", false);
        } catch (KcoValidation\InvalidPayload $e) {
            $expect("bad body $i", $e->getMessage() !== '');
        }
    }
    try {
        new KcoValidation\Order();
        $expect('constructor refused', false);
    } catch (Throwable $e) {
        $expect('constructor refused', true);
    }
    $expect('version', KcoValidation\version() !== '' && is_array(KcoValidation\build_info()));
    unset($o);
}
gc_collect_cycles();
printf("%d checks passed, %d paths failed%s\n", $ok, count($bad), $bad ? ': ' . implode(', ', array_keys($bad)) : '');
exit($bad ? 1 : 0);
