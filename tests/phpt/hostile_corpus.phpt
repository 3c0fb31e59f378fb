--TEST--
The hostile corpus (tests/hostile/manifest.json) through the extension: each body gets its expected answer, never an \Error, never a PHP warning or notice, and no header value is built from input
--EXTENSIONS--
kco_validation
--INI--
memory_limit=1G
error_reporting=-1
--FILE--
<?php
require __DIR__ . '/../hostile/generate.php';

// Any warning, notice or deprecation fails the case that raised it.
set_error_handler(static function (int $no, string $message, string $file, int $line): bool {
    throw new ErrorException("PHP error ($no): $message", 0, $no, $file, $line);
});

const CODE_FLAGS = [
    'unknown_product' => 'stock_validate_failed', 'out_of_stock' => 'stock_validate_failed',
    'insufficient_stock' => 'stock_validate_failed', 'not_purchasable' => 'stock_validate_failed',
    'shipping_missing' => 'no_shipping', 'shipping_unavailable' => 'no_shipping',
    'coupon_invalid' => 'invalid_coupon', 'login_required' => 'needs_login', 'email_exists' => 'email_exists',
    'cart_mismatch' => 'totals_dont_match', 'totals_mismatch' => 'totals_dont_match', 'tax_mismatch' => 'totals_dont_match',
    'currency_mismatch' => 'unable_to_process', 'session_missing' => 'unable_to_process', 'session_mismatch' => 'unable_to_process',
];

/** Checks a verdict against its expectation and the header rules; returns the problems. */
function check_verdict(array $v, array $want, array $store): array {
    $bad = [];
    $r = $v['response'];
    if ($r['status'] !== $want['status']) {
        $bad[] = "status {$r['status']}, expected {$want['status']} (codes " . implode(',', $v['codes']) . ')';
    }
    if ($v['codes'] !== $want['codes']) {
        $bad[] = 'codes ' . json_encode($v['codes']) . ', expected ' . json_encode($want['codes']);
    }
    if (($want['location'] ?? null) !== $r['location']) {
        $bad[] = 'location ' . json_encode($r['location']) . ', expected ' . json_encode($want['location'] ?? null);
    }
    foreach ($v['codes'] as $code) {
        if (!isset(CODE_FLAGS[$code])) {
            $bad[] = "unknown code " . json_encode($code);
        }
    }
    // Headers: the Location is the snapshot's own URL plus a fixed flag and fixed codes, nothing from the body.
    if ($r['location'] !== null) {
        if ($r['status'] !== 303) {
            $bad[] = 'a Location on a ' . $r['status'];
        }
        if (preg_match('/[^\x21-\x7E]/', $r['location'])) {
            $bad[] = 'Location holds a control, space or non-ASCII byte: ' . json_encode($r['location']);
        }
        $base = $v['flag'] === 'stock_validate_failed' ? $store['urls']['cart'] : $store['urls']['checkout'];
        $built = $base . '?' . $v['flag'] . '&kco_validation=' . implode(',', $v['codes']);
        if ($r['location'] !== $built) {
            $bad[] = "Location {$r['location']} is not $built";
        }
    }
    if ($r['content_type'] !== null && $r['content_type'] !== 'application/json; charset=utf-8') {
        $bad[] = 'content type ' . json_encode($r['content_type']);
    }
    if ($r['status'] === 400) {
        $body = json_decode($r['body'], true);
        if (!is_array($body) || !is_string($body['error_type'] ?? null) || !is_string($body['error_text'] ?? null)) {
            $bad[] = 'a 400 body that is not {"error_type","error_text"}: ' . $r['body'];
        } elseif (isset($want['error_type']) && $body['error_type'] !== $want['error_type']) {
            $bad[] = "error_type {$body['error_type']}, expected {$want['error_type']}";
        }
    } elseif ($r['body'] !== '') {
        $bad[] = "a body on a {$r['status']}";
    }
    return $bad;
}

$cases = kco_hostile_cases();
$stores = [];
$failures = [];
$kinds = ['invalid_payload' => 0, 'verdict' => 0];
foreach ($cases as $case) {
    $name = $case['name'];
    $want = $case['expected'];
    $stores[$case['store']] ??= json_decode((string) file_get_contents($case['store']), true, 512, JSON_THROW_ON_ERROR);
    $store = $stores[$case['store']];
    try {
        try {
            $order = KcoValidation\Order::parse($case['body']);
        } catch (KcoValidation\InvalidPayload $e) {
            $kinds['invalid_payload']++;
            if (!isset($want['invalid_payload'])) {
                $failures[] = "$name: InvalidPayload \"{$e->getMessage()}\", expected a verdict";
            } elseif (strpos($e->getMessage(), $want['invalid_payload']) !== 0) {
                $failures[] = "$name: \"{$e->getMessage()}\" does not start with \"{$want['invalid_payload']}\"";
            } elseif (!preg_match('//u', $e->getMessage()) || strlen($e->getMessage()) > 400) {
                $failures[] = "$name: the message is not short UTF-8 text";
            }
            continue;
        }
        // Every accessor answers without a warning.
        [$order->id(), $order->currency(), $order->country(), $order->locale(), $order->references(),
            $order->coupons(), $order->billingEmail(), $order->shippingReferences()];
        $verdict = $order->validate($store);
        $kinds['verdict']++;
        if (!isset($want['verdict'])) {
            $failures[] = "$name: a verdict (" . implode(',', $verdict['codes']) . "), expected InvalidPayload \"{$want['invalid_payload']}\"";
            continue;
        }
        foreach (check_verdict($verdict, $want['verdict'], $store) as $problem) {
            $failures[] = "$name: $problem";
        }
    } catch (Throwable $e) {
        // \Error (a panic), \InvalidArgumentException (the store), ErrorException (a warning): all failures.
        $failures[] = "$name: " . get_class($e) . ': ' . $e->getMessage();
    }
}
restore_error_handler();

printf("cases: %d (at least 40: %s)\n", count($cases), count($cases) >= 40 ? 'yes' : 'no');
printf("both kinds: %s\n", $kinds['invalid_payload'] > 0 && $kinds['verdict'] > 0 ? 'yes' : 'no');
echo $failures === [] ? "failures: none\n" : "failures:\n" . implode("\n", $failures) . "\n";
?>
--EXPECTF--
cases: %d (at least 40: yes)
both kinds: yes
failures: none
