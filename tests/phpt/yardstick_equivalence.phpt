--TEST--
The plain-PHP yardstick (benches/php/Yardstick.php) gives the extension's verdict on every fixture and every failure
--EXTENSIONS--
kco_validation
--FILE--
<?php
require __DIR__ . '/../../benches/php/Yardstick.php';
require __DIR__ . '/../../benches/php/cases.inc';

use KcoValidation\Bench\Yardstick;
use KcoValidation\Bench\YardstickInvalidPayload;

// What must agree (issue 5): approved, codes, each failure's code+reason+reference, the response. The whole
// verdict (messages, expected/actual, params, flag, content type) is compared too and reported separately. The
// strict yardstick (snapshot checked key by key) must give the same verdicts, and refuse the snapshots the
// extension refuses, naming the same key path.
function essentials(array $v): array {
    return [
        'approved' => $v['approved'],
        'codes' => $v['codes'],
        'failures' => array_map(fn($f) => [$f['code'], $f['reason'], $f['reference'] ?? null], $v['failures']),
        'response' => [$v['response']['status'], $v['response']['location'], $v['response']['body']],
    ];
}

$cases = yardstick_cases();
$fixtures = array_keys(yardstick_fixtures());
$differ = 0;
$whole_differ = 0;
$approved = [];
$codes = [];
$reasons = [];
foreach ($cases as [$label, $body, $store]) {
    $ext = KcoValidation\Order::parse($body)->validate($store);
    $php = Yardstick::decide($body, $store);
    if (Yardstick::decide($body, $store, true) !== $php) {
        $differ++;
        echo "STRICT DIFFERS: $label\n";
    }
    if (essentials($ext) !== essentials($php)) {
        $differ++;
        echo "DIFFERENT: $label\n  extension: ", json_encode(essentials($ext), JSON_UNESCAPED_SLASHES), "\n  yardstick: ",
            json_encode(essentials($php), JSON_UNESCAPED_SLASHES), "\n";
    } elseif ($ext !== $php) {
        $whole_differ++;
        echo "DETAILS DIFFER: $label\n  extension: ", json_encode($ext, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n  yardstick: ",
            json_encode($php, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
    }
    if (str_ends_with($label, '/approved')) {
        $approved[] = ($ext['approved'] && $php['approved']) ? 'approved' : "$label NOT approved";
    }
    foreach ($ext['failures'] as $f) {
        $codes[$f['code']] = true;
        if ($f['reason'] !== null) {
            $reasons["{$f['code']}/{$f['reason']}"] = true;
        }
    }
}
$bad = 0;
foreach (yardstick_bad_bodies() as $label => $body) {
    $e = $y = null;
    try { KcoValidation\Order::parse($body); } catch (KcoValidation\InvalidPayload $x) { $e = $x; }
    try { Yardstick::parse($body); } catch (YardstickInvalidPayload $x) { $y = $x; }
    if ($e === null || $y === null) {
        echo "NOT REFUSED BY BOTH: $label (extension: ", $e ? 'refused' : 'accepted', ', yardstick: ', $y ? 'refused' : 'accepted', ")\n";
    } else {
        $bad++;
    }
}
$refused = 0;
$o = KcoValidation\Order::parse(yardstick_fixtures()['example'][0]);
foreach (yardstick_bad_snapshots() as $label => $store) {
    $e = $y = null;
    try { $o->validate($store); } catch (InvalidArgumentException $x) { $e = $x; }
    try { Yardstick::checkSnapshot($store); } catch (InvalidArgumentException $x) { $y = $x; }
    if ($e === null || $y === null) {
        echo "SNAPSHOT NOT REFUSED BY BOTH: $label (extension: ", $e ? 'refused' : 'accepted', ', yardstick: ', $y ? 'refused' : 'accepted', ")\n";
    } elseif (strtok($e->getMessage(), ':') !== strtok($y->getMessage(), ':')) {
        echo "SNAPSHOT REFUSED AT ANOTHER PATH: $label (extension: ", $e->getMessage(), ', yardstick: ', $y->getMessage(), ")\n";
    } else {
        $refused++;
    }
}
ksort($codes);
ksort($reasons);
printf("fixtures: %d (%s)\n", count($fixtures), count(array_unique($approved)) === 1 ? implode('', array_unique($approved)) : implode(', ', $approved));
printf("cases: %d, verdicts that differ: %d, details that differ: %d\n", count($cases), $differ, $whole_differ);
printf("refused by both: %d of %d bad bodies\n", $bad, count(yardstick_bad_bodies()));
printf("refused by both at the same key path: %d of %d bad snapshots\n", $refused, count(yardstick_bad_snapshots()));
echo 'codes seen: ', count($codes), "\n  ", implode("\n  ", array_keys($codes)), "\n";
echo 'reasons seen: ', implode(' ', array_keys($reasons)), "\n";
?>
--EXPECTF--
fixtures: %d (approved)
cases: %d, verdicts that differ: 0, details that differ: 0
refused by both: 21 of 21 bad bodies
refused by both at the same key path: 33 of 33 bad snapshots
codes seen: 15
  cart_mismatch
  coupon_invalid
  currency_mismatch
  email_exists
  insufficient_stock
  login_required
  not_purchasable
  out_of_stock
  session_mismatch
  session_missing
  shipping_missing
  shipping_unavailable
  tax_mismatch
  totals_mismatch
  unknown_product
reasons seen: cart_mismatch/extra_item cart_mismatch/missing_item cart_mismatch/quantity coupon_invalid/email_restricted coupon_invalid/excluded_category coupon_invalid/excluded_product coupon_invalid/expired coupon_invalid/maximum_amount coupon_invalid/minimum_amount coupon_invalid/not_applicable coupon_invalid/not_found coupon_invalid/sale_items coupon_invalid/usage_limit coupon_invalid/usage_limit_per_user login_required/account_exists login_required/subscription session_missing/expired session_missing/not_found tax_mismatch/order_sum tax_mismatch/tax_total totals_mismatch/grand_total totals_mismatch/line totals_mismatch/line_arithmetic totals_mismatch/order_sum
