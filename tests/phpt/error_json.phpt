--TEST--
error_json mode answers 400 with {"error_type","error_text"}; address_error when the address is the cause
--EXTENSIONS--
kco_validation
--FILE--
<?php
require __DIR__ . '/helpers.inc';
$json = fn(callable $f) => store(function (&$s) use ($f) { $s['options']['response_mode'] = 'error_json'; $f($s); });
foreach ([
    'approved' => $json(fn(&$s) => null),
    'stock' => $json(fn(&$s) => $s['products']['KOPP-STG-01']['stock_quantity'] = 2),
    'address' => $json(fn(&$s) => $s['cart']['available_shipping'] = $s['cart']['chosen_shipping'] = []),
] as $label => $store) {
    $r = decide($store)['response'];
    var_dump($label, $r['status'], $r['location'], $r['content_type']);
    echo $r['body'], "\n";
    if ($r['body'] !== '') {
        var_dump(array_keys(json_decode($r['body'], true, 4, JSON_THROW_ON_ERROR)));
    }
}
?>
--EXPECT--
string(8) "approved"
int(200)
NULL
NULL

string(5) "stock"
int(400)
NULL
string(31) "application/json; charset=utf-8"
{"error_type":"approval_failed","error_text":"Only 1 of \"Kaffekopp i stengods, 30 cl\" is left."}
array(2) {
  [0]=>
  string(10) "error_type"
  [1]=>
  string(10) "error_text"
}
string(7) "address"
int(400)
NULL
string(31) "application/json; charset=utf-8"
{"error_type":"address_error","error_text":"The shipping method \"PostNord Varubrev 1:a klass\" is not available for your address."}
array(2) {
  [0]=>
  string(10) "error_type"
  [1]=>
  string(10) "error_text"
}
