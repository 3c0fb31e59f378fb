--TEST--
validate() throws InvalidArgumentException naming the snapshot key path that is missing or mistyped
--EXTENSIONS--
kco_validation
--FILE--
<?php
require __DIR__ . '/helpers.inc';
$o = KcoValidation\Order::parse(order_body());
$recursive = store();
$recursive['options']['self'] = &$recursive;
$cases = [
    'missing top-level key' => store(function (&$s) { unset($s['cart']); }),
    'missing nested key' => store(function (&$s) { unset($s['products']['KOPP-STG-01']['stock_quantity']); }),
    'string for int' => store(fn(&$s) => $s['products']['KOPP-STG-01']['stock_quantity'] = '5'),
    'float money' => store(fn(&$s) => $s['cart']['total'] = 846.0),
    'money not a number' => store(fn(&$s) => $s['cart']['lines'][1]['tax'] = '99,80'),
    'bool as string' => store(fn(&$s) => $s['session']['found'] = 'yes'),
    'list expected' => store(fn(&$s) => $s['cart']['lines'] = 'none'),
    'object inside' => store(fn(&$s) => $s['customer'] = new stdClass()),
    'bad enum' => store(fn(&$s) => $s['options']['response_mode'] = 'teapot'),
    'negative quantity' => store(fn(&$s) => $s['cart']['lines'][0]['quantity'] = -2),
    'relative url' => store(fn(&$s) => $s['urls']['cart'] = '/cart/'),
    'header injection url' => store(fn(&$s) => $s['urls']['checkout'] = "https://shop.example/\r\nSet-Cookie: x=1"),
    'invalid utf-8 string' => store(fn(&$s) => $s['products']['KOPP-STG-01']['name'] = "\xC3\x28"),
    'NAN' => store(fn(&$s) => $s['now'] = NAN),
    'recursive array' => $recursive,
    'empty array' => [],
    'list for a struct' => store(fn(&$s) => $s['session'] = [true, false, '17']),
    'list for a product' => store(fn(&$s) => $s['products']['KOPP-STG-01'] = [101, 101, true]),
];
foreach ($cases as $label => $store) {
    try {
        $o->validate($store);
        echo "$label: accepted\n";
    } catch (InvalidArgumentException $e) {
        $m = $e->getMessage();
        echo "$label: ", strlen($m) > 160 ? substr($m, 0, 40) . '… ' . (str_contains($m, 'is nested more than 32 levels deep') ? 'too deep' : '?') : $m, "\n";
    }
}
// PHP turns the key "101" into the int 101, and a map keyed 0, 1 into a list: both are read as maps.
$ids = order_body(function (&$o) { $o['order_lines'][0]['reference'] = '101'; $o['order_lines'][1]['reference'] = '0'; });
$v = KcoValidation\Order::parse($ids)->validate(store(function (&$s) {
    $s['products'] = ['101' => $s['products']['KOPP-STG-01'], '0' => $s['products']['LINNE-150x250']];
    $s['cart']['lines'][0]['reference'] = '101';
    $s['cart']['lines'][1]['reference'] = '0';
}));
var_dump($v['approved']);
$v = KcoValidation\Order::parse(str_replace(['"KOPP-STG-01"', '"LINNE-150x250"'], ['"0"', '"1"'], order_body()))->validate(store(function (&$s) {
    $s['products'] = [$s['products']['KOPP-STG-01'], $s['products']['LINNE-150x250']];
    $s['cart']['lines'][0]['reference'] = '0';
    $s['cart']['lines'][1]['reference'] = '1';
}));
var_dump($v['approved']);
// Wrong argument types are PHP TypeErrors, not crashes.
try { $o->validate('x'); } catch (TypeError $e) { echo get_class($e), "\n"; }
try { KcoValidation\Order::parse([]); } catch (TypeError $e) { echo get_class($e), "\n"; }
?>
--EXPECT--
missing top-level key: cart: is missing
missing nested key: products.KOPP-STG-01.stock_quantity: is missing
string for int: products.KOPP-STG-01.stock_quantity: invalid type: string "5", expected an integer or null
float money: cart.total: got the float 846; give money as a decimal string (floats are not exact)
money not a number: cart.lines[1].tax: "99,80" is not a decimal number
bool as string: session.found: invalid type: string "yes", expected a boolean
list expected: cart.lines: invalid type: string "none", expected a sequence
object inside: customer: must be a scalar or an array, got Object
bad enum: options.response_mode: unknown variant `teapot`, expected `redirect` or `error_json`
negative quantity: cart.lines[0].quantity: is negative (-2)
relative url: urls.cart: must be an absolute http(s) URL, got "/cart/"
header injection url: urls.checkout: contains the character '\r', which cannot stand in a header
invalid utf-8 string: products.KOPP-STG-01.name: is not valid UTF-8
NAN: now: is not a finite number (NaN)
recursive array: options.self.options.self.options.self.o… too deep
empty array: currency: is missing
list for a struct: session: must be a map with named keys, got a list
list for a product: products.KOPP-STG-01: must be a map with named keys, got a list
bool(true)
bool(true)
TypeError
TypeError
