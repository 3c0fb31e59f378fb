<?php
/**
 * The yardstick: the checks of src/checks/ written in plain PHP, kept only to measure the extension against.
 *
 * Same input (Klarna's raw body and the store snapshot of docs/contract.md), same verdict array (docs/contract.md
 * §2), same semantics as the Rust core, check by check and message by message:
 *   currency, session, stock, shipping, coupons, account, totals, cart (src/checks/mod.rs order).
 * Money is exact: the snapshot's decimal strings become integer minor units by string arithmetic (no floats,
 * no bcmath), rounding half away from zero, as src/money.rs does.
 *
 * The Klarna body is always checked as src/klarna/parse.rs does (types, ranges, required fields): a PHP
 * implementation must not decide on a body it has not checked. The snapshot is checked key by key against
 * docs/contract.md §1 only when decide() is asked to ($strict): by default the yardstick reads only what the checks
 * need (a missing or mistyped key gives a PHP warning or a wrong answer here, an \InvalidArgumentException in the
 * extension), so it is cheaper than a faithful port and the ratio measured against it is conservative. Strict mode
 * does what the extension does except walking keys no check reads (the extension converts the whole array, so a
 * self-referencing array under an unknown key is refused there and accepted here).
 *
 * Not part of the plugin. Used by tests/phpt/yardstick_equivalence.phpt, benches/php/bench.php and
 * benches/memory/.
 */

namespace KcoValidation\Bench;

/** The body is not a Klarna order (the yardstick's KcoValidation\InvalidPayload). */
final class YardstickInvalidPayload extends \Exception {}

final class Yardstick
{
    private const MAX_LINES = 1000;
    private const MAX_AMOUNT = 10000000000000;
    private const MAX_QUANTITY = 1000000000;

    /** KCO 1.x flags in precedence order (src/verdict/response.rs). */
    private const KCO_FLAGS = [
        'stock_validate_failed', 'no_shipping', 'invalid_coupon', 'needs_login', 'email_exists',
        'totals_dont_match', 'unable_to_process',
    ];

    /** Code → KCO flag (src/verdict/code.rs). */
    private const FLAG_OF = [
        'unknown_product' => 'stock_validate_failed',
        'out_of_stock' => 'stock_validate_failed',
        'insufficient_stock' => 'stock_validate_failed',
        'not_purchasable' => 'stock_validate_failed',
        'shipping_missing' => 'no_shipping',
        'shipping_unavailable' => 'no_shipping',
        'coupon_invalid' => 'invalid_coupon',
        'login_required' => 'needs_login',
        'email_exists' => 'email_exists',
        'cart_mismatch' => 'totals_dont_match',
        'totals_mismatch' => 'totals_dont_match',
        'tax_mismatch' => 'totals_dont_match',
        'currency_mismatch' => 'unable_to_process',
        'session_missing' => 'unable_to_process',
        'session_mismatch' => 'unable_to_process',
    ];

    private const EXPONENTS = [
        'BIF' => 0, 'CLP' => 0, 'DJF' => 0, 'GNF' => 0, 'ISK' => 0, 'JPY' => 0, 'KMF' => 0, 'KRW' => 0, 'PYG' => 0,
        'RWF' => 0, 'UGX' => 0, 'UYI' => 0, 'VND' => 0, 'VUV' => 0, 'XAF' => 0, 'XOF' => 0, 'XPF' => 0,
        'BHD' => 3, 'IQD' => 3, 'JOD' => 3, 'KWD' => 3, 'LYD' => 3, 'OMR' => 3, 'TND' => 3,
    ];

    /**
     * Parses the body and decides it: the plain-PHP Order::parse($body)->validate($store).
     *
     * $strict: first check the whole snapshot against docs/contract.md §1 as the extension does (every required
     * key, every type, ranges, enums, URLs, UTF-8), throwing \InvalidArgumentException("path: problem"). Without it
     * the yardstick reads only what the checks need (cheaper: the conservative yardstick).
     */
    public static function decide(string $body, array $store, bool $strict = false): array
    {
        $order = self::parse($body);
        if ($strict) {
            self::checkSnapshot($store);
        }
        return self::validate($order, $store);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The Klarna body (src/klarna/parse.rs)
    // ---------------------------------------------------------------------------------------------------------

    /**
     * The checked order as an array: the decoded body with `lines` (each with `type` defaulted), upper-case codes,
     * `email` (trimmed billing email or null), `ship` (selected_shipping_option or null) and `coupons`
     * (merchant_data's, lower case, distinct).
     *
     * @throws YardstickInvalidPayload naming the field and the problem.
     */
    public static function parse(string $body): array
    {
        if (strncmp($body, "\xEF\xBB\xBF", 3) === 0) {
            $body = substr($body, 3);
        }
        $t = ltrim($body);
        if ($t === '') {
            throw new YardstickInvalidPayload('body: is empty');
        }
        if ($t[0] !== '{') {
            throw new YardstickInvalidPayload('body: is not a JSON object');
        }
        try {
            $o = json_decode($body, true, 512, JSON_THROW_ON_ERROR | JSON_BIGINT_AS_STRING);
        } catch (\JsonException $e) {
            throw new YardstickInvalidPayload('body: is not valid JSON (' . $e->getMessage() . ')');
        }
        foreach (['order_id', 'purchase_country', 'purchase_currency'] as $k) {
            if (!isset($o[$k])) {
                throw new YardstickInvalidPayload("body: missing field `$k`");
            }
            if (!is_string($o[$k])) {
                throw new YardstickInvalidPayload("$k: invalid type, expected a string");
            }
        }
        if (trim($o['order_id']) === '') {
            throw new YardstickInvalidPayload('order_id: is empty');
        }
        $o['purchase_country'] = self::letters($o['purchase_country'], 2, 'purchase_country');
        $o['purchase_currency'] = self::letters($o['purchase_currency'], 3, 'purchase_currency');
        foreach (['order_amount', 'order_tax_amount'] as $k) {
            $v = $o[$k] ?? null;
            if (!is_int($v)) {
                throw new YardstickInvalidPayload("$k: invalid type, expected i64");
            }
            if ($v < 0) {
                throw new YardstickInvalidPayload("$k: is negative ($v)");
            }
            if ($v > self::MAX_AMOUNT) {
                throw new YardstickInvalidPayload("$k: is out of range ($v)");
            }
        }
        $lines = $o['order_lines'] ?? null;
        if (!is_array($lines) || !array_is_list($lines)) {
            throw new YardstickInvalidPayload('order_lines: invalid type, expected a sequence');
        }
        if (count($lines) > self::MAX_LINES) {
            throw new YardstickInvalidPayload('order_lines: has ' . count($lines) . ' lines; Klarna allows at most ' . self::MAX_LINES);
        }
        foreach ($lines as $i => &$l) {
            if (!is_array($l)) {
                throw new YardstickInvalidPayload("order_lines[$i]: invalid type, expected struct OrderLine");
            }
            $type = $l['type'] ?? 'physical';
            if (!is_string($type) || !in_array($type, ['physical', 'digital', 'discount', 'shipping_fee', 'sales_tax', 'gift_card', 'store_credit', 'surcharge'], true)) {
                throw new YardstickInvalidPayload("order_lines[$i].type: unknown variant");
            }
            $l['type'] = $type;
            foreach (['quantity', 'unit_price', 'tax_rate', 'total_amount', 'total_tax_amount'] as $k) {
                if (!is_int($l[$k] ?? null)) {
                    throw new YardstickInvalidPayload("order_lines[$i].$k: invalid type, expected i64");
                }
            }
            $ref = $l['reference'] ?? null;
            if ($ref !== null && !is_string($ref)) {
                throw new YardstickInvalidPayload("order_lines[$i].reference: invalid type, expected a string");
            }
            $l['reference'] = $ref ?? '';
            $name = $l['name'] ?? '';
            if (!is_string($name)) {
                throw new YardstickInvalidPayload("order_lines[$i].name: invalid type, expected a string");
            }
            $l['name'] = $name;
            $d = $l['total_discount_amount'] ?? 0;
            if (!is_int($d)) {
                throw new YardstickInvalidPayload("order_lines[$i].total_discount_amount: invalid type, expected i64");
            }
            $l['total_discount_amount'] = $d;
            $q = $l['quantity'];
            if ($q < 0) {
                throw new YardstickInvalidPayload("order_lines[$i].quantity: is negative ($q)");
            }
            if ($q > self::MAX_QUANTITY) {
                throw new YardstickInvalidPayload("order_lines[$i].quantity: is larger than " . self::MAX_QUANTITY);
            }
            if ($l['tax_rate'] < 0 || $l['tax_rate'] > 10000) {
                throw new YardstickInvalidPayload("order_lines[$i].tax_rate: must be 0..10000 basis points, got {$l['tax_rate']}");
            }
            if ($d < 0) {
                throw new YardstickInvalidPayload("order_lines[$i].total_discount_amount: is negative ($d)");
            }
            foreach (['unit_price', 'total_amount', 'total_tax_amount', 'total_discount_amount'] as $k) {
                if ($l[$k] > self::MAX_AMOUNT || $l[$k] < -self::MAX_AMOUNT) {
                    throw new YardstickInvalidPayload("order_lines[$i].$k: is out of range ({$l[$k]})");
                }
            }
            if (($type === 'physical' || $type === 'digital') && trim($l['reference']) === '') {
                throw new YardstickInvalidPayload("order_lines[$i].reference: is missing on a goods line");
            }
        }
        unset($l);
        $o['lines'] = $lines;
        $ship = $o['selected_shipping_option'] ?? null;
        if ($ship !== null) {
            if (!is_array($ship) || !is_string($ship['id'] ?? null) || !is_int($ship['price'] ?? null)) {
                throw new YardstickInvalidPayload('selected_shipping_option: invalid type, expected struct ShippingOption');
            }
            $ship['tax_amount'] ??= 0;
            foreach (['price', 'tax_amount'] as $k) {
                if (!is_int($ship[$k]) || $ship[$k] > self::MAX_AMOUNT || $ship[$k] < -self::MAX_AMOUNT) {
                    throw new YardstickInvalidPayload("selected_shipping_option.$k: is out of range");
                }
            }
            $ship['name'] ??= null;
        }
        $o['ship'] = $ship;
        $email = $o['billing_address']['email'] ?? null;
        $email = is_string($email) ? trim($email) : '';
        $o['email'] = $email === '' ? null : $email;
        // merchant_data: read defensively; only the plugin uses it (never trusted for a decision).
        $coupons = [];
        $md = $o['merchant_data'] ?? null;
        if (is_string($md) && $md !== '') {
            $m = json_decode($md, true);
            if (is_array($m) && isset($m['coupons']) && is_array($m['coupons'])) {
                foreach ($m['coupons'] as $c) {
                    if (is_string($c)) {
                        $c = self::lower(trim($c));
                        if ($c !== '' && !in_array($c, $coupons, true)) {
                            $coupons[] = $c;
                        }
                    }
                }
            }
        }
        $o['coupons'] = $coupons;
        return $o;
    }

    private static function letters(string $v, int $len, string $field): string
    {
        if (strlen($v) !== $len || strspn($v, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ') !== $len) {
            throw new YardstickInvalidPayload("$field: must be $len letters, got \"$v\"");
        }
        return strtoupper($v);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The snapshot's schema (docs/contract.md §1, src/store/): only with $strict
    // ---------------------------------------------------------------------------------------------------------

    /** key => [type, required]. Types: str int bool money strs ints (lists), '?' for nullable, or a nested spec. */
    private const PRODUCT = [
        'id' => ['int', true], 'stock_owner_id' => ['int', true], 'purchasable' => ['bool', true],
        'virtual' => ['bool', true], 'manage_stock' => ['bool', true], 'stock_quantity' => ['?int', true],
        'held' => ['int', true], 'stock_status' => ['str', true], 'backorders' => ['str', true], 'name' => ['str', true],
        'subscription' => ['bool', false], 'trial_length' => ['int', false],
    ];
    private const COUPON = [
        'exists' => ['bool', true], 'expires' => ['?int', false], 'usage_limit' => ['?int', false],
        'usage_count' => ['int', false], 'usage_limit_per_user' => ['?int', false], 'used_by' => ['strs', false],
        'email_restrictions' => ['strs', false], 'minimum_amount' => ['?money', false], 'maximum_amount' => ['?money', false],
        'discount_type' => ['str', false], 'product_ids' => ['ints', false], 'excluded_product_ids' => ['ints', false],
    ];
    private const CART_LINE = [
        'product_id' => ['int', true], 'variation_id' => ['int', true], 'reference' => ['str', true],
        'quantity' => ['int', true], 'total' => ['money', true], 'tax' => ['money', true],
        'subtotal' => ['?money', false], 'subtotal_tax' => ['?money', false],
    ];
    private const STORE = [
        'currency' => ['str', true], 'price_decimals' => ['int', true], 'now' => ['int', true],
        'session' => [['struct', [
            'found' => ['bool', true], 'expired' => ['bool', true], 'customer_id' => ['str', true],
            'own_order_id' => ['int', false], 'klarna_order_id' => ['?str', false],
        ]], true],
        'cart' => [['struct', [
            'total' => ['money', true], 'total_tax' => ['money', true], 'subtotal' => ['money', true],
            'needs_shipping' => ['bool', true], 'shipping_enabled' => ['bool', false],
            'chosen_shipping' => ['strs', true], 'available_shipping' => ['strs', true],
            'lines' => [['list', self::CART_LINE], true], 'coupons' => ['strs', true],
        ]], true],
        'products' => [['map', self::PRODUCT], true],
        'coupons' => [['map', self::COUPON], true],
        'customer' => [['struct', [
            'logged_in' => ['bool', true], 'user_id' => ['int', true], 'email_exists' => ['bool', true],
            'user_ids_for_email' => ['ints', false], 'account_email' => ['?str', false],
        ]], true],
        'checkout' => [['struct', [
            'registration_required' => ['bool', true], 'registration_enabled' => ['bool', true],
            'subscriptions_active' => ['bool', true],
        ]], true],
        'urls' => [['struct', ['cart' => ['str', true], 'checkout' => ['str', true]]], true],
        'options' => [['struct', [
            'response_mode' => ['str', false], 'total_tolerance' => ['int', false], 'unknown_products' => ['str', false],
        ]], false],
    ];

    /** Checks the snapshot as the extension does before any check runs. @throws \InvalidArgumentException */
    public static function checkSnapshot(array $s): void
    {
        self::struct($s, self::STORE, '');
        $fail = static function (string $path, string $problem) {
            throw new \InvalidArgumentException("$path: $problem");
        };
        if ($s['price_decimals'] < 0 || $s['price_decimals'] > 8) {
            $fail('price_decimals', "must be 0..8, got {$s['price_decimals']}");
        }
        if (strlen($s['currency']) !== 3 || strspn($s['currency'], 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ') !== 3) {
            $fail('currency', "must be 3 letters, got \"{$s['currency']}\"");
        }
        foreach ($s['cart']['lines'] as $i => $l) {
            if ($l['quantity'] < 0) {
                $fail("cart.lines[$i].quantity", "is negative ({$l['quantity']})");
            }
        }
        foreach ($s['products'] as $k => $p) {
            if ($p['held'] < 0) {
                $fail("products.$k.held", "is negative ({$p['held']})");
            }
        }
        $o = $s['options'] ?? [];
        if (!in_array($o['response_mode'] ?? 'redirect', ['redirect', 'error_json'], true)) {
            $fail('options.response_mode', 'unknown variant');
        }
        if (!in_array($o['unknown_products'] ?? 'deny', ['deny', 'ignore'], true)) {
            $fail('options.unknown_products', 'unknown variant');
        }
        if (($o['total_tolerance'] ?? 0) < 0) {
            $fail('options.total_tolerance', "is negative ({$o['total_tolerance']})");
        }
        foreach (['cart', 'checkout'] as $k) {
            $url = $s['urls'][$k];
            if (!preg_match('~^https?://[^/]~i', $url)) {
                $fail("urls.$k", "must be an absolute http(s) URL with a host, got \"$url\"");
            }
            if (preg_match('/[\x00-\x20\x7F]|\xC2[\x80-\xA0]|\xE1\x9A\x80|\xE2\x80[\x80-\x8A\xA8\xA9\xAF]|\xE2\x81\x9F|\xE3\x80\x80/', $url)) {
                $fail("urls.$k", 'contains a character which cannot stand in a header');
            }
        }
    }

    private static function struct($v, array $spec, string $path): void
    {
        if (!is_array($v)) {
            throw new \InvalidArgumentException(($path === '' ? 'store' : $path) . ': invalid type, expected a map');
        }
        if ($v !== [] && array_is_list($v)) {
            throw new \InvalidArgumentException(($path === '' ? 'store' : $path) . ': must be a map with named keys, got a list');
        }
        $prefix = $path === '' ? '' : "$path.";
        foreach ($spec as $key => [$type, $required]) {
            if (!array_key_exists($key, $v)) {
                if ($required) {
                    throw new \InvalidArgumentException("$prefix$key: is missing");
                }
                continue;
            }
            self::value($v[$key], $type, "$prefix$key");
        }
    }

    private static function value($x, $type, string $path): void
    {
        if (is_array($type)) {
            [$kind, $spec] = $type;
            if ($kind === 'struct') {
                self::struct($x, $spec, $path);
                return;
            }
            if (!is_array($x) || ($kind === 'list' && !array_is_list($x))) {
                throw new \InvalidArgumentException("$path: invalid type, expected a " . ($kind === 'list' ? 'sequence' : 'map'));
            }
            foreach ($x as $k => $item) {
                self::struct($item, $spec, $kind === 'list' ? "{$path}[$k]" : "$path.$k");
            }
            return;
        }
        if ($type[0] === '?') {
            if ($x === null) {
                return;
            }
            $type = substr($type, 1);
        }
        $ok = match ($type) {
            'str' => is_string($x) && preg_match('//u', $x) === 1,
            'int' => is_int($x),
            'bool' => is_bool($x),
            'money' => is_int($x) || (is_string($x) && preg_match('/^\s*-?(\d+(\.\d+)?|\.\d+)\s*$/D', $x) === 1),
            'strs', 'ints' => is_array($x) && array_is_list($x),
        };
        if ($ok && ($type === 'strs' || $type === 'ints')) {
            foreach ($x as $i => $item) {
                if ($type === 'strs' ? !(is_string($item) && preg_match('//u', $item) === 1) : !is_int($item)) {
                    $ok = false;
                    $path .= "[$i]";
                    break;
                }
            }
        }
        if (!$ok) {
            throw new \InvalidArgumentException("$path: invalid type or value for $type: " . get_debug_type($x));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The checks (src/checks/)
    // ---------------------------------------------------------------------------------------------------------

    /** Runs every check of a parsed order against the snapshot and builds the verdict. */
    public static function validate(array $o, array $s): array
    {
        $cur = $o['purchase_currency'];
        $exp = self::EXPONENTS[$cur] ?? 2;
        $cart = $s['cart'];
        $products = $s['products'];
        $opts = $s['options'] ?? [];
        $tolerance = $opts['total_tolerance'] ?? 0;
        $session = $s['session'];
        $hasCart = $session['found'] && !$session['expired'];
        $currencyMatches = strcasecmp($s['currency'], $cur) === 0;

        // Context: the cart's money in minor units (a snapshot error is thrown before any check runs).
        $cartLines = [];
        foreach ($cart['lines'] as $i => $cl) {
            $t = self::minor(self::add(self::dec($cl['total']), self::dec($cl['tax'])), $exp, "cart.lines[$i].total");
            $sub = null;
            if (isset($cl['subtotal'])) {
                $st = isset($cl['subtotal_tax']) ? self::dec($cl['subtotal_tax']) : [0, 0];
                $sub = self::minor(self::add(self::dec($cl['subtotal']), $st), $exp, "cart.lines[$i].subtotal");
            }
            $cartLines[$i] = [$t, $sub];
        }
        $cartTotal = self::minor(self::dec($cart['total']), $exp, 'cart.total');
        $cartTax = self::minor(self::dec($cart['total_tax']), $exp, 'cart.total_tax');
        $cartSubtotal = self::dec($cart['subtotal']);

        $goods = [];
        $shipLines = [];
        foreach ($o['lines'] as $l) {
            if ($l['type'] === 'physical' || $l['type'] === 'digital') {
                $goods[] = $l;
            } elseif ($l['type'] === 'shipping_fee') {
                $shipLines[] = $l;
            }
        }

        $f = [];

        // currency
        if (!$currencyMatches) {
            $c = strtoupper($s['currency']);
            $f[] = self::failure('currency_mismatch', "The order is in $cur but your cart is in $c.", null, $c, $cur, null,
                ['order_currency' => $cur, 'cart_currency' => $c]);
        }

        // session
        if (!$session['found']) {
            $f[] = self::failure('session_missing', 'Your shopping session could not be found. Please try again.', null, null, null, 'not_found');
        } elseif ($session['expired']) {
            $f[] = self::failure('session_missing', 'Your shopping session has expired. Please try again.', null, null, null, 'expired');
        }
        $stored = $session['klarna_order_id'] ?? null;
        if ($stored !== null && $stored !== '' && $stored !== $o['order_id']) {
            $f[] = self::failure('session_mismatch', 'This payment does not belong to your current cart. Please try again.', null, $stored, $o['order_id']);
        }

        // stock: per stock owner, held stock subtracted, backorders pass.
        $owners = [];
        $seenOut = [];
        $outOwners = []; // owners of products reported `outofstock`: their stock is not reported again
        $deny = ($opts['unknown_products'] ?? 'deny') === 'deny';
        foreach ($goods as $l) {
            $ref = $l['reference'];
            $p = $products[$ref] ?? null;
            if ($p === null) {
                if ($deny) {
                    $f[] = self::failure('unknown_product', "\"{$l['name']}\" is no longer sold in this shop.", $ref, null, null, null, ['name' => $l['name']]);
                }
                continue;
            }
            if (!$p['purchasable']) {
                $f[] = self::failure('not_purchasable', "\"{$p['name']}\" can no longer be bought.", $ref, null, null, null, ['name' => $p['name']]);
                continue;
            }
            $owner = $p['stock_owner_id'];
            if ($p['stock_status'] === 'outofstock') {
                if (!isset($seenOut[$p['id']])) {
                    $seenOut[$p['id']] = true;
                    $f[] = self::failure('out_of_stock', "\"{$p['name']}\" is out of stock.", $ref, null, null, null, ['name' => $p['name']]);
                }
                $outOwners[$owner] = true;
                continue;
            }
            if (isset($owners[$owner])) {
                $owners[$owner][2] += $l['quantity'];
            } else {
                $owners[$owner] = [$p, $ref, $l['quantity']];
            }
        }
        foreach ($owners as $owner => [$p, $ref, $requested]) {
            if (!$p['manage_stock'] || $p['backorders'] === 'yes' || $p['backorders'] === 'notify') {
                continue;
            }
            $stock = $p['stock_quantity'] ?? 0;
            if ($stock >= $p['held'] + $requested) {
                continue;
            }
            $available = max($stock - $p['held'], 0);
            if ($available === 0) {
                if (!isset($outOwners[$owner])) {
                    $f[] = self::failure('out_of_stock', "\"{$p['name']}\" is out of stock.", $ref, $requested, 0, null, ['name' => $p['name']]);
                }
            } else {
                $f[] = self::failure('insufficient_stock',
                    "Only $available of \"{$p['name']}\" " . ($available === 1 ? 'is' : 'are') . ' left.',
                    $ref, $requested, $available, null,
                    ['name' => $p['name'], 'available' => $available, 'requested' => $requested]);
            }
        }

        // shipping
        if ($cart['shipping_enabled'] ?? true) {
            $needed = $cart['needs_shipping'];
            if (!$needed) {
                foreach ($goods as $l) {
                    $p = $products[$l['reference']] ?? null;
                    if ($p !== null && !$p['virtual'] && !(($p['subscription'] ?? false) && ($p['trial_length'] ?? 0) > 0)) {
                        $needed = true;
                        break;
                    }
                }
            }
            if ($needed) {
                if (!$shipLines && $o['ship'] === null) {
                    $f[] = self::failure('shipping_missing', 'Please choose a shipping method.');
                } elseif ($hasCart) {
                    $rates = [];
                    if ($shipLines) {
                        foreach ($shipLines as $l) {
                            $rates[] = $l['reference'];
                        }
                    } else {
                        $rates[] = $o['ship']['id'];
                    }
                    foreach ($rates as $rate) {
                        if (in_array($rate, $cart['available_shipping'], true) || in_array($rate, $cart['chosen_shipping'], true)) {
                            continue;
                        }
                        $name = null;
                        foreach ($shipLines as $l) {
                            if ($l['reference'] === $rate) {
                                $name = $l['name'];
                                break;
                            }
                        }
                        $name ??= $o['ship']['name'] ?? $rate;
                        $f[] = self::failure('shipping_unavailable',
                            "The shipping method \"$name\" is not available for your address.", $rate, null, null, null, ['name' => $name]);
                    }
                }
            }
        }

        // coupons: the ones applied in the session (server truth).
        if ($hasCart) {
            foreach ($cart['coupons'] as $code) {
                $key = self::lower($code);
                $c = $s['coupons'][$key] ?? $s['coupons'][$code] ?? null;
                $fail = static fn(string $reason, string $msg, $exp = null, $act = null, array $params = []) =>
                    self::failure('coupon_invalid', $msg, $key, $exp, $act, $reason, ['coupon' => $key] + $params);
                if ($c === null || !$c['exists']) {
                    $f[] = $fail('not_found', "The coupon \"$key\" does not exist.");
                    continue;
                }
                if (isset($c['expires']) && $s['now'] > $c['expires']) {
                    $f[] = $fail('expired', "The coupon \"$key\" has expired.");
                }
                $limit = $c['usage_limit'] ?? 0;
                $count = $c['usage_count'] ?? 0;
                if ($limit > 0 && $count >= $limit) {
                    $f[] = $fail('usage_limit', "The coupon \"$key\" has been used the maximum number of times.", $limit, $count);
                }
                $limit = $c['usage_limit_per_user'] ?? 0;
                if ($limit > 0) {
                    $used = self::usesByShopper($o, $s['customer'], $c['used_by'] ?? []);
                    if ($used >= $limit) {
                        $f[] = $fail('usage_limit_per_user', "You have already used the coupon \"$key\" the maximum number of times.", $limit, $used);
                    }
                }
                if (!empty($c['email_restrictions']) && !self::emailAllowed($o, $s['customer'], $c['email_restrictions'])) {
                    $f[] = $fail('email_restricted', "The coupon \"$key\" is not valid for your email address.");
                }
                foreach (['minimum_amount' => -1, 'maximum_amount' => 1] as $field => $side) {
                    if (!isset($c[$field])) {
                        continue;
                    }
                    $limitAmount = self::dec($c[$field]);
                    if ($limitAmount[0] === 0 || self::cmp($cartSubtotal, $limitAmount) !== $side) {
                        continue;
                    }
                    $amount = self::decimalText($limitAmount, $exp, $cur);
                    $f[] = $fail($side < 0 ? 'minimum_amount' : 'maximum_amount',
                        'The ' . ($side < 0 ? 'minimum' : 'maximum') . " spend for the coupon \"$key\" is $amount.",
                        $amount, self::decimalText($cartSubtotal, $exp, $cur), ['amount' => $amount]);
                }
                // Product rules (WC_Discounts): product_ids for every type; product coupons need an eligible line,
                // the others refuse any excluded line.
                $ids = $c['product_ids'] ?? [];
                $excluded = $c['excluded_product_ids'] ?? [];
                $productType = in_array($c['discount_type'] ?? 'fixed_cart', ['fixed_product', 'percent', 'percent_product'], true);
                $listed = false;
                $eligible = false;
                foreach ($cart['lines'] as $cl) {
                    if ($ids === [] || self::inIds($cl, $ids)) {
                        $listed = true;
                        if (!self::inIds($cl, $excluded)) {
                            $eligible = true;
                            break;
                        }
                    }
                }
                if ($listed ? ($productType && !$eligible) : $ids !== []) {
                    $f[] = $fail('not_applicable', "Sorry, the coupon \"$key\" is not applicable to the products in your cart.");
                }
                if (!$productType && $excluded !== []) {
                    foreach ($cart['lines'] as $cl) {
                        if (self::inIds($cl, $excluded)) {
                            $p = $products[$cl['product_key'] ?? $cl['reference']] ?? $products[$cl['reference']] ?? null;
                            $f[] = $p === null
                                ? $fail('excluded_product', "Sorry, the coupon \"$key\" is not applicable to one of the products in your cart.",
                                    null, null, ['reference' => $cl['reference']])
                                : $fail('excluded_product', "Sorry, the coupon \"$key\" is not applicable to the product \"{$p['name']}\".",
                                    null, null, ['name' => $p['name'], 'reference' => $cl['reference']]);
                            break;
                        }
                    }
                }
            }
        }

        // account
        $customer = $s['customer'];
        if (!$customer['logged_in']) {
            $checkout = $s['checkout'];
            $hasSubscription = false;
            if ($checkout['subscriptions_active']) {
                foreach ($goods as $l) {
                    if ($products[$l['reference']]['subscription'] ?? false) {
                        $hasSubscription = true;
                        break;
                    }
                }
            }
            $login = false;
            if ($hasSubscription && !$checkout['registration_enabled']) {
                $f[] = self::failure('login_required', 'Please log in to your account to complete this purchase.', null, null, null, 'subscription');
                $login = true;
            }
            if ($checkout['registration_required'] && $customer['email_exists'] && !$login) {
                $f[] = self::failure('login_required', 'Please log in to your account to complete this purchase.', null, null, null, 'account_exists');
            }
            if ($hasSubscription && $customer['email_exists']) {
                $f[] = self::failure('email_exists', 'An account is already registered with your email address. Please log in to continue.');
            }
        }

        // totals: Klarna's own arithmetic, then against the cart, exactly in minor units.
        $linesTotal = 0;
        $linesTax = 0;
        $salesTax = 0;
        $usStyle = false;
        foreach ($o['lines'] as $l) {
            $q = $l['quantity'];
            $expected = $q * $l['unit_price'] - $l['total_discount_amount'];
            if (is_float($expected) || abs($expected - $l['total_amount']) > max($q, 1)) {
                $name = $l['name'] === '' ? $l['reference'] : $l['name'];
                $f[] = self::failure('totals_mismatch', "The amounts of \"$name\" in the Klarna order do not add up.",
                    $l['reference'], is_float($expected) ? PHP_INT_MAX : $expected, $l['total_amount'], 'line_arithmetic');
            }
            $linesTotal += $l['total_amount'];
            $linesTax += $l['total_tax_amount'];
            if ($l['type'] === 'sales_tax') {
                $usStyle = true;
                $salesTax += $l['total_amount'];
            }
        }
        if ($usStyle) {
            $linesTax = $salesTax;
        }
        $total = $o['order_amount'];
        $tax = $o['order_tax_amount'];
        $expectedTotal = $linesTotal;
        $expectedTax = $linesTax;
        if (!$shipLines && $o['ship'] !== null) {
            $opt = $o['ship'];
            if ($o['order_amount'] === $linesTotal + $opt['price']) {
                $expectedTotal = $linesTotal + $opt['price'];
                $expectedTax = $linesTax + $opt['tax_amount'];
            } else {
                $total += $opt['price'];
                $tax += $opt['tax_amount'];
            }
        }
        if ($o['order_amount'] !== $expectedTotal) {
            $f[] = self::failure('totals_mismatch', 'The Klarna order total does not equal the sum of its lines.', null, $expectedTotal, $o['order_amount'], 'order_sum');
        }
        if ($o['order_tax_amount'] !== $expectedTax) {
            $f[] = self::failure('tax_mismatch', 'The Klarna order tax does not equal the sum of its lines.', null, $expectedTax, $o['order_tax_amount'], 'order_sum');
        }
        if ($hasCart && $currencyMatches) {
            if (abs($total - $cartTotal) > $tolerance) {
                $a = self::amount($total, $exp, $cur);
                $b = self::amount($cartTotal, $exp, $cur);
                $f[] = self::failure('totals_mismatch', "The order total $a does not match your cart total $b.", null, $cartTotal, $total, 'grand_total',
                    ['order_total' => $a, 'cart_total' => $b]);
            }
            $taxTolerance = $tolerance + intdiv(count($o['lines']) + 1, 2);
            if (abs($tax - $cartTax) > $taxTolerance) {
                $a = self::amount($tax, $exp, $cur);
                $b = self::amount($cartTax, $exp, $cur);
                $f[] = self::failure('tax_mismatch', "The order tax $a does not match your cart tax $b.", null, $cartTax, $tax, 'tax_total',
                    ['order_tax' => $a, 'cart_tax' => $b]);
            }
            // Each product's Klarna amount against its cart lines.
            $items = [];
            foreach ($goods as $l) {
                $key = self::itemKey($l['reference'], $products, $cart['lines']);
                if (!isset($items[$key])) {
                    $items[$key] = [$l['reference'], $l['name'] === '' ? $l['reference'] : $l['name'], 0, 0, 0, 0, 0];
                }
                $items[$key][2] += $l['quantity'];
                $items[$key][3] += $l['total_amount'];
            }
            foreach ($cart['lines'] as $i => $cl) {
                $key = 'i:' . ($cl['variation_id'] > 0 ? $cl['variation_id'] : $cl['product_id']);
                if (isset($items[$key])) {
                    $items[$key][4] += $cl['quantity'];
                    $items[$key][5] += $cartLines[$i][0];
                    $items[$key][6] = ($items[$key][6] === null || $cartLines[$i][1] === null) ? null : $items[$key][6] + $cartLines[$i][1];
                }
            }
            $bad = [];
            foreach ($items as $key => [$ref, $name, $qty, $klarna, $cartQty, $cartAmount, $cartSub]) {
                if ($cartQty !== $qty || $qty === 0) {
                    continue;
                }
                if (abs($klarna - $cartAmount) <= $tolerance || ($cartSub !== null && abs($klarna - $cartSub) <= $tolerance)) {
                    continue;
                }
                $bad[$key] = self::failure('totals_mismatch',
                    "The price of \"$name\" in the order (" . self::amount($klarna, $exp, $cur) . ') does not match your cart (' . self::amount($cartAmount, $exp, $cur) . ').',
                    $ref, $cartAmount, $klarna, 'line', ['name' => $name]);
            }
            if ($bad) {
                // The Rust core walks a BTreeMap: ids (numerically) before unknown references (bytewise).
                uksort($bad, [self::class, 'compareKeys']);
                foreach ($bad as $x) {
                    $f[] = $x;
                }
            }
        }

        // cart: the Klarna goods lines must be the cart (same products, same quantities).
        if ($hasCart) {
            $items = [];
            foreach ($goods as $l) {
                $ref = $l['reference'];
                $key = self::itemKey($ref, $products, $cart['lines']);
                if (!isset($items[$key])) {
                    $items[$key] = [$products[$ref]['name'] ?? $l['name'], $ref, 0, 0];
                }
                $items[$key][2] += $l['quantity'];
            }
            foreach ($cart['lines'] as $cl) {
                $key = 'i:' . ($cl['variation_id'] > 0 ? $cl['variation_id'] : $cl['product_id']);
                if (!isset($items[$key])) {
                    $items[$key] = [$products[$cl['reference']]['name'] ?? $cl['reference'], $cl['reference'], 0, 0];
                }
                $items[$key][3] += $cl['quantity'];
            }
            // PHP keeps insertion order, which is the order of first appearance the Rust core sorts by.
            foreach ($items as [$name, $ref, $k, $c]) {
                if ($k === $c) {
                    continue;
                }
                if ($c === 0) {
                    [$reason, $msg] = ['extra_item', "\"$name\" is in the order but not in your cart."];
                } elseif ($k === 0) {
                    [$reason, $msg] = ['missing_item', "\"$name\" is in your cart but not in the order."];
                } else {
                    [$reason, $msg] = ['quantity', "The order has $k of \"$name\" but your cart has $c."];
                }
                $f[] = self::failure('cart_mismatch', $msg, $ref, $c, $k, $reason, ['name' => $name]);
            }
        }

        return self::verdict($f, $s);
    }

    /** One failure, keys in the order the extension gives them (src/verdict/failure.rs). */
    private static function failure(string $code, string $message, ?string $reference = null, $expected = null, $actual = null, ?string $reason = null, array $params = []): array
    {
        $x = ['code' => $code, 'message' => $message];
        if ($reference !== null) {
            $x['reference'] = $reference;
        }
        if ($expected !== null) {
            $x['expected'] = $expected;
        }
        if ($actual !== null) {
            $x['actual'] = $actual;
        }
        $x['reason'] = $reason;
        $x['params'] = $params;
        return $x;
    }

    /** What identifies an item on both sides (src/checks/cart.rs Key): "i:<id>" or "r:<reference>". */
    private static function itemKey(string $ref, array $products, array $cartLines): string
    {
        if (isset($products[$ref])) {
            return 'i:' . $products[$ref]['id'];
        }
        foreach ($cartLines as $cl) {
            if ($cl['reference'] === $ref) {
                return 'i:' . ($cl['variation_id'] > 0 ? $cl['variation_id'] : $cl['product_id']);
            }
        }
        return 'r:' . $ref;
    }

    private static function compareKeys(string $a, string $b): int
    {
        $ia = $a[0] === 'i';
        $ib = $b[0] === 'i';
        if ($ia !== $ib) {
            return $ia ? -1 : 1;
        }
        return $ia ? ((int) substr($a, 2) <=> (int) substr($b, 2)) : strcmp($a, $b);
    }

    private static function usesByShopper(array $o, array $customer, array $usedBy): int
    {
        $email = $o['email'] === null ? null : self::lower($o['email']);
        $ids = [];
        foreach ($customer['user_ids_for_email'] ?? [] as $id) {
            $ids[] = (string) $id;
        }
        if ($customer['logged_in'] && $customer['user_id'] > 0) {
            $ids[] = (string) $customer['user_id'];
        }
        $n = 0;
        foreach ($usedBy as $entry) {
            $entry = trim($entry);
            if (($email !== null && self::lower($entry) === $email) || in_array($entry, $ids, true)) {
                $n++;
            }
        }
        return $n;
    }

    private static function emailAllowed(array $o, array $customer, array $restrictions): bool
    {
        $emails = [];
        foreach ([$o['email'], $customer['account_email'] ?? null] as $e) {
            if ($e !== null) {
                $e = self::lower(trim($e));
                if ($e !== '') {
                    $emails[] = $e;
                }
            }
        }
        foreach ($emails as $e) {
            foreach ($restrictions as $r) {
                if (self::wildcardMatch(self::lower(trim($r)), $e)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Glob match with `*` only (any run, including empty). Bytewise, which equals charwise on UTF-8 text. */
    private static function wildcardMatch(string $p, string $t): bool
    {
        $pl = strlen($p);
        $tl = strlen($t);
        $pi = 0;
        $ti = 0;
        $star = -1;
        $mark = 0;
        while ($ti < $tl) {
            if ($pi < $pl && $p[$pi] !== '*' && $p[$pi] === $t[$ti]) {
                $pi++;
                $ti++;
            } elseif ($pi < $pl && $p[$pi] === '*') {
                $star = $pi;
                $mark = $ti;
                $pi++;
            } elseif ($star >= 0) {
                $pi = $star + 1;
                $mark++;
                $ti = $mark;
            } else {
                return false;
            }
        }
        while ($pi < $pl && $p[$pi] === '*') {
            $pi++;
        }
        return $pi === $pl;
    }

    /** Whether a cart line's own id (the variation for a variation) or its parent's is in $ids (positive ids only). */
    private static function inIds(array $cl, array $ids): bool
    {
        $own = $cl['variation_id'] > 0 ? $cl['variation_id'] : $cl['product_id'];
        $parent = $cl['variation_id'] > 0 ? $cl['product_id'] : 0;
        return ($own > 0 && in_array($own, $ids, true)) || ($parent > 0 && in_array($parent, $ids, true));
    }

    private static function lower(string $s): string
    {
        static $mb = null;
        $mb ??= function_exists('mb_strtolower');
        return $mb ? mb_strtolower($s, 'UTF-8') : strtolower($s);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The verdict and the HTTP answer (src/verdict/)
    // ---------------------------------------------------------------------------------------------------------

    private static function verdict(array $failures, array $s): array
    {
        if (!$failures) {
            return [
                'approved' => true,
                'codes' => [],
                'failures' => [],
                'flag' => null,
                'response' => ['status' => 200, 'location' => null, 'content_type' => null, 'body' => ''],
            ];
        }
        $codes = [];
        $flags = [];
        foreach ($failures as $x) {
            $codes[$x['code']] = true;
            $flags[self::FLAG_OF[$x['code']]] = true;
        }
        $codes = array_keys($codes);
        $flag = 'unable_to_process';
        foreach (self::KCO_FLAGS as $candidate) {
            if (isset($flags[$candidate])) {
                $flag = $candidate;
                break;
            }
        }
        if (($s['options']['response_mode'] ?? 'redirect') === 'error_json') {
            $text = [];
            foreach ($failures as $x) {
                $text[] = $x['message'];
            }
            $type = $codes === ['shipping_unavailable'] ? 'address_error' : 'approval_failed';
            $response = [
                'status' => 400,
                'location' => null,
                'content_type' => 'application/json; charset=utf-8',
                'body' => json_encode(['error_type' => $type, 'error_text' => implode(' ', $text)],
                    JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_LINE_TERMINATORS),
            ];
        } else {
            $base = $flag === 'stock_validate_failed' ? $s['urls']['cart'] : $s['urls']['checkout'];
            $response = [
                'status' => 303,
                'location' => self::withQuery($base, $flag, implode(',', $codes)),
                'content_type' => null,
                'body' => '',
            ];
        }
        return ['approved' => false, 'codes' => $codes, 'failures' => $failures, 'flag' => $flag, 'response' => $response];
    }

    /** src/verdict/url.rs with_query(): add_query_arg() semantics, non-ASCII and controls percent-encoded. */
    private static function withQuery(string $url, string $flag, string $codes): string
    {
        $fragment = null;
        if (($i = strpos($url, '#')) !== false) {
            $fragment = substr($url, $i);
            $url = substr($url, 0, $i);
        }
        $query = null;
        if (($i = strpos($url, '?')) !== false) {
            $query = substr($url, $i + 1);
            $url = substr($url, 0, $i);
        }
        $out = self::encode($url) . '?';
        if ($query !== null) {
            foreach (explode('&', $query) as $pair) {
                if ($pair === '') {
                    continue;
                }
                $name = explode('=', $pair, 2)[0];
                if ($name === $flag || $name === 'kco_validation') {
                    continue;
                }
                $out .= self::encode($pair) . '&';
            }
        }
        $out .= $flag . '&kco_validation=' . $codes;
        if ($fragment !== null) {
            $out .= self::encode($fragment);
        }
        return $out;
    }

    private static function encode(string $s): string
    {
        return preg_replace_callback('/[^\x21-\x7E]/', static fn($m) => sprintf('%%%02X', ord($m[0])), $s);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Money (src/money.rs): a decimal is [mantissa, scale], integers only
    // ---------------------------------------------------------------------------------------------------------

    /** A snapshot amount (decimal string or int) as [mantissa, scale]. Floats and non-decimals are refused. */
    private static function dec($v): array
    {
        if (is_int($v)) {
            return [$v, 0];
        }
        if (!is_string($v) || !preg_match('/^\s*(-?)(\d*)(?:\.(\d+))?\s*$/D', $v, $m) || ($m[2] === '' && !isset($m[3]))) {
            throw new \InvalidArgumentException('money: ' . var_export($v, true) . ' is not a decimal number');
        }
        $frac = $m[3] ?? '';
        $digits = ltrim($m[2] . $frac, '0');
        if (strlen($digits) > 18) {
            throw new \InvalidArgumentException("money: \"$v\" is too large for the yardstick");
        }
        $n = (int) $digits;
        return [$m[1] === '-' ? -$n : $n, strlen($frac)];
    }

    private static function add(array $a, array $b): array
    {
        if ($a[1] === $b[1]) {
            return [$a[0] + $b[0], $a[1]];
        }
        if ($a[1] < $b[1]) {
            [$a, $b] = [$b, $a];
        }
        return [$a[0] + $b[0] * 10 ** ($a[1] - $b[1]), $a[1]];
    }

    private static function cmp(array $a, array $b): int
    {
        if ($a[1] < $b[1]) {
            return ($a[0] * 10 ** ($b[1] - $a[1])) <=> $b[0];
        }
        return $a[0] <=> ($b[0] * 10 ** ($a[1] - $b[1]));
    }

    /** To minor units with the exponent, rounding half away from zero. */
    private static function minor(array $d, int $exp, string $path = 'money'): int
    {
        [$m, $scale] = $d;
        if ($scale <= $exp) {
            $r = $m * 10 ** ($exp - $scale);
            if (!is_int($r)) {
                throw new \InvalidArgumentException("$path: is too large");
            }
            return $r;
        }
        $div = 10 ** ($scale - $exp);
        $a = $m < 0 ? -$m : $m;
        $q = intdiv($a, $div);
        if (2 * ($a % $div) >= $div) {
            $q++;
        }
        return $m < 0 ? -$q : $q;
    }

    /** Minor units as "1234.50 SEK" (src/money.rs format()). */
    private static function amount(int $minor, int $exp, string $cur): string
    {
        if ($exp === 0) {
            return "$minor $cur";
        }
        $a = $minor < 0 ? -$minor : $minor;
        $p = 10 ** $exp;
        return ($minor < 0 ? '-' : '') . intdiv($a, $p) . '.' . str_pad((string) ($a % $p), $exp, '0', STR_PAD_LEFT) . " $cur";
    }

    private static function decimalText(array $d, int $exp, string $cur): string
    {
        return self::amount(self::minor($d, $exp), $exp, $cur);
    }
}
