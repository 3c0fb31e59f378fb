--TEST--
Every failure code through PHP, each with its HTTP answer (redirect mode)
--EXTENSIONS--
kco_validation
--FILE--
<?php
require __DIR__ . '/helpers.inc';
$no_shipping_line = order_body(function (&$o) {
    array_pop($o['order_lines']);
    $o['order_amount'] -= 4900;
    $o['order_tax_amount'] -= 980;
});
show('approved', decide(store()));
show('currency_mismatch', decide(store(fn(&$s) => $s['currency'] = 'EUR')));
show('session_missing', decide(store(fn(&$s) => $s['session']['found'] = false)));
show('session_expired', decide(store(fn(&$s) => $s['session']['expired'] = true)));
show('session_mismatch', decide(store(fn(&$s) => $s['session']['klarna_order_id'] = 'another-order')));
show('unknown_product', decide(store(function (&$s) { unset($s['products']['LINNE-150x250']); })));
show('out_of_stock', decide(store(fn(&$s) => $s['products']['KOPP-STG-01']['stock_status'] = 'outofstock')));
show('insufficient_stock', decide(store(fn(&$s) => $s['products']['KOPP-STG-01']['stock_quantity'] = 2)));
show('not_purchasable', decide(store(fn(&$s) => $s['products']['LINNE-150x250']['purchasable'] = false)));
show('shipping_missing', decide(store(), $no_shipping_line));
show('shipping_unavailable', decide(store(fn(&$s) => $s['cart']['available_shipping'] = $s['cart']['chosen_shipping'] = ['local_pickup:4'])));
show('coupon_invalid', decide(store(function (&$s) { $s['cart']['coupons'] = ['gone']; })));
show('login_required', decide(store(function (&$s) {
    $s['checkout']['registration_required'] = true;
    $s['customer']['email_exists'] = true;
})));
show('email_exists', decide(store(function (&$s) {
    $s['checkout']['subscriptions_active'] = true;
    $s['products']['KOPP-STG-01']['subscription'] = true;
    $s['customer']['email_exists'] = true;
})));
show('cart_mismatch', decide(store(fn(&$s) => $s['cart']['lines'][0]['quantity'] = 3)));
show('totals_mismatch', decide(store(fn(&$s) => $s['cart']['total'] = '850.00')));
show('tax_mismatch', decide(store(fn(&$s) => $s['cart']['total_tax'] = '150.00')));
// Every reason at once (D1): stock, shipping, coupon, login, totals.
$v = decide(store(function (&$s) {
    $s['products']['KOPP-STG-01']['stock_quantity'] = 1;
    $s['products']['KOPP-STG-01']['held'] = 0;
    $s['cart']['available_shipping'] = $s['cart']['chosen_shipping'] = [];
    $s['cart']['coupons'] = ['summer10'];
    $s['coupons']['summer10'] = ['exists' => true, 'usage_limit_per_user' => 1, 'used_by' => ['SOFIA.Lindqvist@example.se']];
    $s['checkout']['registration_required'] = true;
    $s['customer']['email_exists'] = true;
    $s['cart']['total'] = '800.00';
}));
show('all', $v);
foreach ($v['failures'] as $f) {
    echo "  {$f['code']}", $f['reason'] ? " ({$f['reason']})" : '', ": {$f['message']}\n";
}
?>
--EXPECT--
approved: approved 200 
currency_mismatch: currency_mismatch 303 https://shop.example/kassan/?unable_to_process&kco_validation=currency_mismatch
session_missing: session_missing 303 https://shop.example/kassan/?unable_to_process&kco_validation=session_missing
session_expired: session_missing 303 https://shop.example/kassan/?unable_to_process&kco_validation=session_missing
session_mismatch: session_mismatch 303 https://shop.example/kassan/?unable_to_process&kco_validation=session_mismatch
unknown_product: unknown_product 303 https://shop.example/varukorg/?stock_validate_failed&kco_validation=unknown_product
out_of_stock: out_of_stock 303 https://shop.example/varukorg/?stock_validate_failed&kco_validation=out_of_stock
insufficient_stock: insufficient_stock 303 https://shop.example/varukorg/?stock_validate_failed&kco_validation=insufficient_stock
not_purchasable: not_purchasable 303 https://shop.example/varukorg/?stock_validate_failed&kco_validation=not_purchasable
shipping_missing: shipping_missing,totals_mismatch,tax_mismatch 303 https://shop.example/kassan/?no_shipping&kco_validation=shipping_missing,totals_mismatch,tax_mismatch
shipping_unavailable: shipping_unavailable 303 https://shop.example/kassan/?no_shipping&kco_validation=shipping_unavailable
coupon_invalid: coupon_invalid 303 https://shop.example/kassan/?invalid_coupon&kco_validation=coupon_invalid
login_required: login_required 303 https://shop.example/kassan/?needs_login&kco_validation=login_required
email_exists: email_exists 303 https://shop.example/kassan/?email_exists&kco_validation=email_exists
cart_mismatch: cart_mismatch 303 https://shop.example/kassan/?totals_dont_match&kco_validation=cart_mismatch
totals_mismatch: totals_mismatch 303 https://shop.example/kassan/?totals_dont_match&kco_validation=totals_mismatch
tax_mismatch: tax_mismatch 303 https://shop.example/kassan/?totals_dont_match&kco_validation=tax_mismatch
all: insufficient_stock,shipping_unavailable,coupon_invalid,login_required,totals_mismatch 303 https://shop.example/varukorg/?stock_validate_failed&kco_validation=insufficient_stock,shipping_unavailable,coupon_invalid,login_required,totals_mismatch
  insufficient_stock: Only 1 of "Kaffekopp i stengods, 30 cl" is left.
  shipping_unavailable: The shipping method "PostNord Varubrev 1:a klass" is not available for your address.
  coupon_invalid (usage_limit_per_user): You have already used the coupon "summer10" the maximum number of times.
  login_required (account_exists): Please log in to your account to complete this purchase.
  totals_mismatch (grand_total): The order total 846.00 SEK does not match your cart total 800.00 SEK.
