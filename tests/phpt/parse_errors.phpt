--TEST--
Order::parse throws InvalidPayload naming the field and the problem, for every kind of broken body
--EXTENSIONS--
kco_validation
--FILE--
<?php
require __DIR__ . '/helpers.inc';
$cases = [
    'empty' => '',
    'whitespace' => "  \n",
    'not json' => 'hello',
    'truncated' => substr(order_body(), 0, 200),
    'array' => '[1,2,3]',
    'number' => '42',
    'invalid utf-8' => "{\"order_id\":\"\xC3\x28\"}",
    'trailing' => order_body() . 'x',
    'missing order_lines' => order_body(function (&$o) { unset($o['order_lines']); }),
    'float amount' => str_replace('"order_amount": 84600', '"order_amount": 846.00', order_body()),
    'exponent amount' => str_replace('"order_amount": 84600', '"order_amount": 8.46e4', order_body()),
    'string amount' => order_body(fn(&$o) => $o['order_amount'] = '84600'),
    'past i64' => str_replace('"order_amount": 84600', '"order_amount": 99999999999999999999', order_body()),
    'negative quantity' => order_body(fn(&$o) => $o['order_lines'][1]['quantity'] = -1),
    'fractional quantity' => order_body(fn(&$o) => $o['order_lines'][1]['quantity'] = 1.5),
    'negative order_amount' => order_body(fn(&$o) => $o['order_amount'] = -1),
    'tax_rate out of range' => order_body(fn(&$o) => $o['order_lines'][0]['tax_rate'] = 20000),
    'currency' => order_body(fn(&$o) => $o['purchase_currency'] = 'kronor'),
    'null currency' => order_body(fn(&$o) => $o['purchase_currency'] = null),
    'lines not a list' => order_body(fn(&$o) => $o['order_lines'] = 'none'),
    'line not an object' => order_body(fn(&$o) => $o['order_lines'][0] = 5),
    'goods line without reference' => order_body(function (&$o) { unset($o['order_lines'][0]['reference']); }),
    'unknown line type' => order_body(fn(&$o) => $o['order_lines'][0]['type'] = 'service'),
    'duplicate key' => str_replace('"order_amount": 84600,', '"order_amount": 84600, "order_amount": 1,', order_body()),
];
foreach ($cases as $label => $body) {
    try {
        KcoValidation\Order::parse($body);
        echo "$label: accepted\n";
    } catch (KcoValidation\InvalidPayload $e) {
        // Keep the message short in the expectation: serde's "at line … column …" suffix is dropped.
        echo "$label: ", preg_replace('/ at line \d+ column \d+/', '', $e->getMessage()), "\n";
    }
}
var_dump(is_subclass_of(KcoValidation\InvalidPayload::class, Exception::class));
// A byte-order mark is tolerated.
var_dump(KcoValidation\Order::parse("\xEF\xBB\xBF" . order_body())->id());
?>
--EXPECT--
empty: body: is empty
whitespace: body: is empty
not json: body: is not valid JSON (expected value)
truncated: body: ends too early (EOF while parsing a string)
array: body: is not a JSON object
number: body: is not a JSON object
invalid utf-8: body: is not valid UTF-8 (at byte 13)
trailing: body: is not valid JSON (trailing characters)
missing order_lines: body: missing field `order_lines`
float amount: order_amount: invalid type: floating point `846.0`, expected i64
exponent amount: order_amount: invalid type: floating point `84600.0`, expected i64
string amount: order_amount: invalid type: string of 5 characters, expected i64
past i64: order_amount: invalid type: floating point `1e+20`, expected i64
negative quantity: order_lines[1].quantity: is negative (-1)
fractional quantity: order_lines[1].quantity: invalid type: floating point `1.5`, expected i64
negative order_amount: order_amount: is negative (-1)
tax_rate out of range: order_lines[0].tax_rate: must be 0..10000 basis points, got 20000
currency: purchase_currency: must be 3 letters, got "kronor"
null currency: purchase_currency: invalid type: null, expected a string
lines not a list: order_lines: invalid type: string of 4 characters, expected a sequence
line not an object: order_lines[0]: invalid type: integer `5`, expected struct OrderLine
goods line without reference: order_lines[0].reference: is missing on a goods line
unknown line type: order_lines[0].type: unknown variant `service`, expected one of `physical`, `digital`, `discount`, `shipping_fee`, `sales_tax`, `gift_card`, `store_credit`, `surcharge`
duplicate key: body: duplicate field `order_amount`
bool(true)
string(36) "107afe44-4e7a-566e-96f9-96f73a1ebfc3"
