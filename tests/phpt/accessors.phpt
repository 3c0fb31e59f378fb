--TEST--
Order accessors: id, currency, country, locale, references, coupons, billingEmail, shippingReferences, requiresValidateSuccess
--EXTENSIONS--
kco_validation
--FILE--
<?php
require __DIR__ . '/helpers.inc';
$o = KcoValidation\Order::parse(order_body());
var_dump($o->id(), $o->currency(), $o->country(), $o->locale(), $o->references(), $o->coupons(), $o->billingEmail(), $o->shippingReferences());
// merchant_data coupons, lower-cased and distinct; duplicate goods references reported once; iframe shipping.
$o = KcoValidation\Order::parse(order_body(function (&$o) {
    $o['merchant_data'] = '{"coupons":["Summer10","summer10","VIP"],"is_user_logged_in":false}';
    $o['order_lines'][] = $o['order_lines'][0];
    $o['order_lines'] = array_values(array_filter($o['order_lines'], fn($l) => $l['type'] !== 'shipping_fee'));
    $o['selected_shipping_option'] = ['id' => 'ksa-ombud', 'name' => 'Ombud', 'price' => 4900, 'tax_amount' => 980, 'tax_rate' => 2500];
    unset($o['billing_address']['email']);
}));
var_dump($o->coupons(), $o->references(), $o->billingEmail(), $o->shippingReferences());
// merchant_data that is not JSON is no error: no coupons.
var_dump(KcoValidation\Order::parse(order_body(fn(&$o) => $o['merchant_data'] = 'not json'))->coupons());
var_dump((new ReflectionClass(KcoValidation\Order::class))->isFinal());
// options.require_validate_callback_success (Klarna waits 10 s, else 3 s): read leniently, never a refusal.
$flag = fn(callable $change) => KcoValidation\Order::parse(order_body($change))->requiresValidateSuccess();
var_dump(
    $flag(fn(&$o) => $o['options']['require_validate_callback_success'] = true),
    $flag(fn(&$o) => $o['options']['require_validate_callback_success'] = false),
    $flag(function (&$o) { unset($o['options']); }),
    $flag(fn(&$o) => $o['options'] = 'yes'),
    $flag(fn(&$o) => $o['options']['require_validate_callback_success'] = 'true')
);
?>
--EXPECT--
string(36) "107afe44-4e7a-566e-96f9-96f73a1ebfc3"
string(3) "SEK"
string(2) "SE"
string(5) "sv-SE"
array(2) {
  [0]=>
  string(11) "KOPP-STG-01"
  [1]=>
  string(13) "LINNE-150x250"
}
array(0) {
}
string(26) "sofia.lindqvist@example.se"
array(1) {
  [0]=>
  string(11) "flat_rate:3"
}
array(2) {
  [0]=>
  string(8) "summer10"
  [1]=>
  string(3) "vip"
}
array(2) {
  [0]=>
  string(11) "KOPP-STG-01"
  [1]=>
  string(13) "LINNE-150x250"
}
NULL
array(1) {
  [0]=>
  string(9) "ksa-ombud"
}
array(0) {
}
bool(true)
bool(true)
bool(false)
bool(false)
bool(false)
bool(false)
