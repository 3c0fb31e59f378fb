<?php
/**
 * The yardstick: the checks of src/checks/ written in plain PHP, kept only to measure the extension against.
 *
 * Same input (Klarna's raw body and the store snapshot of docs/contract.md), same verdict array (docs/contract.md
 * §2), same semantics as the Rust core, check by check and message by message:
 *   currency, session, stock, shipping, coupons, account, totals, cart (src/checks/mod.rs order);
 * then each failure's product_id, and the HTTP answer of src/answer/ (the signed kco_validation_details on a 303
 * when the snapshot's answer.details_key is set; error_json texts from answer.texts templates).
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

    /** KCO 1.x flags in precedence order (src/verdict/code.rs KCO_FLAGS). */
    private const KCO_FLAGS = [
        'stock_validate_failed', 'no_shipping', 'invalid_coupon', 'needs_login', 'email_exists',
        'totals_dont_match', 'unable_to_process',
    ];

    /** The flag of codes the table does not know. */
    private const FALLBACK_FLAG = 'unable_to_process';

    /** The code table (src/verdict/code.rs Code::TABLE): code => [KCO flag, reasons]. */
    private const CODES = [
        'currency_mismatch' => ['unable_to_process', []],
        'session_missing' => ['unable_to_process', ['not_found', 'expired']],
        'session_mismatch' => ['unable_to_process', []],
        'unknown_product' => ['stock_validate_failed', []],
        'out_of_stock' => ['stock_validate_failed', []],
        'insufficient_stock' => ['stock_validate_failed', []],
        'not_purchasable' => ['stock_validate_failed', []],
        'shipping_missing' => ['no_shipping', []],
        'shipping_unavailable' => ['no_shipping', []],
        'coupon_invalid' => ['invalid_coupon', ['not_found', 'expired', 'usage_limit', 'usage_limit_per_user',
            'email_restricted', 'minimum_amount', 'maximum_amount', 'not_applicable', 'excluded_product',
            'excluded_category', 'sale_items']],
        'login_required' => ['needs_login', ['account_exists', 'subscription']],
        'email_exists' => ['email_exists', []],
        'cart_mismatch' => ['totals_dont_match', ['extra_item', 'missing_item', 'quantity']],
        'totals_mismatch' => ['totals_dont_match', ['grand_total', 'line', 'line_arithmetic', 'order_sum']],
        'tax_mismatch' => ['totals_dont_match', ['tax_total', 'order_sum']],
        'internal_error' => ['unable_to_process', []],
    ];

    /** src/answer/details.rs: the query argument, at most this many reasons, this many bytes, text chars. */
    private const DETAILS_ARG = 'kco_validation_details';
    private const DETAILS_MAX_REASONS = 12;
    private const DETAILS_MAX_BYTES = 1500;
    private const DETAILS_MAX_TEXT_CHARS = 120;
    private const DETAILS_CONTEXT = 'kco-validation-details|';

    /** src/answer/texts.rs: longest parameter text put into a sentence, in characters. */
    private const MAX_PARAM_CHARS = 200;

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
        'subscription' => ['bool', false], 'trial_length' => ['int', false], 'category_ids' => ['ints', false],
        'on_sale' => ['bool', false],
    ];
    private const COUPON = [
        'exists' => ['bool', true], 'expires' => ['?int', false], 'usage_limit' => ['?int', false],
        'usage_count' => ['int', false], 'usage_limit_per_user' => ['?int', false], 'used_by' => ['strs', false],
        'held_by' => ['strs', false],
        'email_restrictions' => ['strs', false], 'minimum_amount' => ['?money', false], 'maximum_amount' => ['?money', false],
        'discount_type' => ['str', false], 'product_ids' => ['ints', false], 'excluded_product_ids' => ['ints', false],
        'product_categories' => ['ints', false], 'excluded_product_categories' => ['ints', false],
        'exclude_sale_items' => ['bool', false],
    ];
    private const CART_LINE = [
        'product_id' => ['int', true], 'variation_id' => ['int', true], 'reference' => ['str', true],
        'quantity' => ['int', true], 'total' => ['money', true], 'tax' => ['money', true],
        'subtotal' => ['?money', false], 'subtotal_tax' => ['?money', false], 'product_key' => ['?str', false],
        'name' => ['?str', false],
    ];
    /** The `answer` section (src/store/answer.rs); `?` before a nested kind: null allowed. */
    private const ANSWER = [
        'details_key' => ['?str', false],
        'texts' => [['?struct', [
            'templates' => [['map', ['text' => ['str', true], 'params' => ['strs', false]]], false],
            'general' => ['strmap', false],
            'price' => [['?struct', [
                'currency' => ['str', true], 'decimals' => ['uint', true], 'decimal_separator' => ['str', false],
                'thousand_separator' => ['str', false], 'format' => ['str', false], 'symbol' => ['str', true],
            ]], false],
            'names' => ['strmap', false],
        ]], false],
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
            'packages' => [['?list', ['chosen' => ['?str', false], 'rates' => ['strs', true]]], false],
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
        'answer' => [['struct', self::ANSWER], false],
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
            if ($kind[0] === '?') {
                if ($x === null) {
                    return;
                }
                $kind = substr($kind, 1);
            }
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
            'uint' => is_int($x) && $x >= 0 && $x <= 0xFFFFFFFF,
            'bool' => is_bool($x),
            'money' => is_int($x) || (is_string($x) && preg_match('/^\s*-?(\d+(\.\d+)?|\.\d+)\s*$/D', $x) === 1),
            'strs', 'ints' => is_array($x) && array_is_list($x),
            'strmap' => is_array($x),
        };
        if ($ok && ($type === 'strs' || $type === 'ints' || $type === 'strmap')) {
            foreach ($x as $i => $item) {
                if ($type === 'ints' ? !is_int($item) : !(is_string($item) && preg_match('//u', $item) === 1)) {
                    $ok = false;
                    $path .= $type === 'strmap' ? ".$i" : "[$i]";
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
                    $f[] = self::failure('unknown_product', "\"{$l['name']}\" ($ref) could not be found in this shop.", $ref, null, null, null, ['name' => $l['name'], 'reference' => $ref]);
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
        $claims = []; // what an approval takes: per owner with managed stock and no backorders (issue 13)
        foreach ($owners as $owner => [$p, $ref, $requested]) {
            if (!$p['manage_stock'] || $p['backorders'] === 'yes' || $p['backorders'] === 'notify') {
                continue;
            }
            $claims[] = ['stock_owner_id' => $owner, 'quantity' => $requested];
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

        // shipping (src/checks/shipping.rs): WooCommerce's needs_shipping decides; every package's chosen rate among
        // its rates; Klarna's rate offered, or chosen in Klarna's checkout with a klarna_kss rate chosen.
        if (($cart['shipping_enabled'] ?? true) && $cart['needs_shipping']) {
            if (!$shipLines && $o['ship'] === null) {
                $f[] = self::failure('shipping_missing', 'Please choose a shipping method.');
            } elseif ($hasCart) {
                $offered = array_flip($cart['available_shipping']);
                $reported = [];
                $unavailable = static function (string $rate) use (&$f, &$reported, $shipLines, $o): void {
                    if (isset($reported[$rate])) {
                        return;
                    }
                    $reported[$rate] = true;
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
                };
                $isKss = static fn (string $r): bool => $r === 'klarna_kss' || str_starts_with($r, 'klarna_kss:');
                $kss = false;
                $missing = false;
                foreach ($cart['packages'] ?? [] as $package) {
                    $chosen = $package['chosen'] ?? null;
                    if ($chosen === null || $chosen === '') {
                        $f[] = self::failure('shipping_missing', 'Please choose a shipping method.');
                        $missing = true;
                        break;
                    }
                    if (!in_array($chosen, $package['rates'], true)) {
                        $unavailable($chosen);
                    } elseif ($isKss($chosen)) {
                        $kss = true;
                    }
                }
                if (!$missing) {
                    if (($cart['packages'] ?? null) === null) {
                        foreach ($cart['chosen_shipping'] as $c) {
                            if ($isKss($c) && isset($offered[$c])) {
                                $kss = true;
                            }
                        }
                    }
                    $rates = [];
                    if ($shipLines) {
                        foreach ($shipLines as $l) {
                            $rates[] = $l['reference'];
                        }
                    } else {
                        $rates[] = $o['ship']['id'];
                    }
                    $klarnaOption = $shipLines ? null : ($o['ship']['id'] ?? null);
                    foreach ($rates as $rate) {
                        if (!isset($offered[$rate]) && !($kss && $klarnaOption === $rate)) {
                            $unavailable($rate);
                        }
                    }
                }
            }
        }

        // coupons: the ones applied in the session (server truth).
        if ($hasCart && $cart['coupons']) {
            // Each cart line with its products entry (Store::product_for_line) and whether it is on sale.
            $items = [];
            foreach ($cart['lines'] as $cl) {
                $p = (isset($cl['product_key']) ? ($products[$cl['product_key']] ?? null) : null) ?? $products[$cl['reference']] ?? null;
                $items[] = [$cl, $p, $p !== null && ($p['on_sale'] ?? false)];
            }
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
                    $used = self::usesByShopper($o, $s['customer'], array_merge($c['used_by'] ?? [], $c['held_by'] ?? []));
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
                    $amount = self::decimalText($limitAmount, $cur);
                    $limitMoney = self::decimalMoney($limitAmount, $cur);
                    $f[] = $fail($side < 0 ? 'minimum_amount' : 'maximum_amount',
                        'The ' . ($side < 0 ? 'minimum' : 'maximum') . " spend for the coupon \"$key\" is $amount.",
                        $limitMoney, self::decimalMoney($cartSubtotal, $cur), ['amount' => $limitMoney]);
                }
                // Product rules (WC_Discounts, src/checks/coupons.rs Rules): ids and categories as sets of positive ids.
                $pos = static function (array $ids): array {
                    $set = [];
                    foreach ($ids as $id) {
                        if ($id > 0) {
                            $set[$id] = true;
                        }
                    }
                    return $set;
                };
                $rawIds = $c['product_ids'] ?? [];
                $rawCats = $c['product_categories'] ?? [];
                $ids = $pos($rawIds);
                $excludedIds = $pos($c['excluded_product_ids'] ?? []);
                $cats = $pos($rawCats);
                $excludedCats = $pos($c['excluded_product_categories'] ?? []);
                $noSale = (bool) ($c['exclude_sale_items'] ?? false);
                $productType = in_array($c['discount_type'] ?? 'fixed_cart', ['fixed_product', 'percent', 'percent_product'], true);
                $applies = true;
                if ($rawIds !== []) {
                    $applies = false;
                    foreach ($items as $it) {
                        if (self::hasIdIn($it[0], $ids)) {
                            $applies = true;
                            break;
                        }
                    }
                }
                if ($applies && $rawCats !== []) {
                    $applies = false;
                    foreach ($items as $it) {
                        if (!($noSale && $it[2]) && self::hasCategoryIn($it[1], $cats)) {
                            $applies = true;
                            break;
                        }
                    }
                }
                if ($applies && $productType && $items !== []) {
                    // is_valid_for_product(): listed (no lists, or in either list) and not excluded.
                    $noLists = $rawIds === [] && $rawCats === [];
                    $applies = false;
                    foreach ($items as $it) {
                        $listed = $noLists || self::hasIdIn($it[0], $ids) || self::hasCategoryIn($it[1], $cats);
                        $excluded = self::hasIdIn($it[0], $excludedIds) || self::hasCategoryIn($it[1], $excludedCats)
                            || ($noSale && $it[2]);
                        if ($listed && !$excluded) {
                            $applies = true;
                            break;
                        }
                    }
                }
                if (!$applies) {
                    $f[] = $fail('not_applicable', "Sorry, the coupon \"$key\" is not applicable to the products in your cart.");
                }
                if (!$productType) {
                    // validate_coupon_eligible_items(), in WooCommerce's order: sale items, products, categories.
                    if ($noSale) {
                        foreach ($items as $it) {
                            if ($it[2]) {
                                $f[] = $fail('sale_items', "Sorry, the coupon \"$key\" is not valid for sale items.");
                                break;
                            }
                        }
                    }
                    foreach ($items as [$cl, $p]) {
                        if (self::hasIdIn($cl, $excludedIds)) {
                            $f[] = $p === null
                                ? $fail('excluded_product', "Sorry, the coupon \"$key\" is not applicable to one of the products in your cart.",
                                    null, null, ['reference' => $cl['reference']])
                                : $fail('excluded_product', "Sorry, the coupon \"$key\" is not applicable to the product \"{$p['name']}\".",
                                    null, null, ['name' => $p['name'], 'reference' => $cl['reference']]);
                            break;
                        }
                    }
                    foreach ($items as [$cl, $p]) {
                        if ($p !== null && self::hasCategoryIn($p, $excludedCats)) {
                            $f[] = $fail('excluded_category',
                                "Sorry, the coupon \"$key\" is not applicable to the categories of the product \"{$p['name']}\".",
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
                    $l['reference'], is_float($expected) ? PHP_INT_MAX : $expected, $l['total_amount'], 'line_arithmetic',
                    ['name' => $name]);
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
            $f[] = self::failure('totals_mismatch', 'The Klarna order total does not equal the sum of its lines.', null, $expectedTotal, $o['order_amount'], 'order_sum',
                ['order_total' => self::money($o['order_amount'], $cur), 'lines_total' => self::money($expectedTotal, $cur)]);
        }
        if ($o['order_tax_amount'] !== $expectedTax) {
            $f[] = self::failure('tax_mismatch', 'The Klarna order tax does not equal the sum of its lines.', null, $expectedTax, $o['order_tax_amount'], 'order_sum',
                ['order_tax' => self::money($o['order_tax_amount'], $cur), 'lines_tax' => self::money($expectedTax, $cur)]);
        }
        if ($hasCart && $currencyMatches) {
            if (abs($total - $cartTotal) > $tolerance) {
                $a = self::amount($total, $exp, $cur);
                $b = self::amount($cartTotal, $exp, $cur);
                $f[] = self::failure('totals_mismatch', "The order total $a does not match your cart total $b.", null, $cartTotal, $total, 'grand_total',
                    ['order_total' => self::money($total, $cur), 'cart_total' => self::money($cartTotal, $cur)]);
            }
            $taxTolerance = $tolerance + intdiv(count($o['lines']) + 1, 2);
            if (abs($tax - $cartTax) > $taxTolerance) {
                $a = self::amount($tax, $exp, $cur);
                $b = self::amount($cartTax, $exp, $cur);
                $f[] = self::failure('tax_mismatch', "The order tax $a does not match your cart tax $b.", null, $cartTax, $tax, 'tax_total',
                    ['order_tax' => self::money($tax, $cur), 'cart_tax' => self::money($cartTax, $cur)]);
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
                    $items[$key] = [$products[$cl['reference']]['name'] ?? (($cl['name'] ?? '') !== '' ? $cl['name'] : $cl['reference']), $cl['reference'], 0, 0];
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

        // The product each failure is about: the `id` of products[reference] (src/checks/mod.rs), else 0.
        foreach ($f as &$x) {
            $x['product_id'] = isset($x['reference']) ? ($products[$x['reference']]['id'] ?? 0) : 0;
        }
        unset($x);
        return self::verdict($f, $s, $claims);
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

    /** src/checks/coupons.rs uses_by_shopper(): by alias (emails, billing-email user ids) or by user id, the larger. */
    private static function usesByShopper(array $o, array $customer, array $usedBy): int
    {
        $emails = [];
        foreach ([$o['email'], $customer['account_email'] ?? null] as $e) {
            if ($e !== null && trim($e) !== '') {
                $emails[] = self::lower(trim($e));
            }
        }
        $ids = [];
        foreach ($customer['user_ids_for_email'] ?? [] as $id) {
            $ids[(string) $id] = true;
        }
        $own = ($customer['logged_in'] && $customer['user_id'] > 0) ? (string) $customer['user_id'] : null;
        $aliases = 0;
        $byId = 0;
        foreach ($usedBy as $entry) {
            $entry = trim($entry);
            if (isset($ids[$entry]) || (str_contains($entry, '@') && in_array(self::lower($entry), $emails, true))) {
                $aliases++;
            }
            if ($own !== null && $entry === $own) {
                $byId++;
            }
        }
        return max($aliases, $byId);
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

    /** Whether a cart line's own id (the variation for a variation) or its parent's is in the set (positive ids). */
    private static function hasIdIn(array $cl, array $set): bool
    {
        if ($set === []) {
            return false;
        }
        $own = $cl['variation_id'] > 0 ? $cl['variation_id'] : $cl['product_id'];
        $parent = $cl['variation_id'] > 0 ? $cl['product_id'] : 0;
        return isset($set[$own]) || isset($set[$parent]);
    }

    /** Whether one of a products entry's categories (none without an entry) is in the set. */
    private static function hasCategoryIn(?array $p, array $set): bool
    {
        if ($set === [] || $p === null) {
            return false;
        }
        foreach ($p['category_ids'] ?? [] as $id) {
            if (isset($set[$id])) {
                return true;
            }
        }
        return false;
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

    private static function verdict(array $failures, array $s, array $claims = []): array
    {
        if (!$failures) {
            return [
                'approved' => true,
                'codes' => [],
                'failures' => [],
                'flag' => null,
                'response' => ['status' => 200, 'location' => null, 'content_type' => null, 'body' => ''],
                'claims' => $claims,
            ];
        }
        $codes = [];
        foreach ($failures as $x) {
            $codes[$x['code']] = true;
        }
        $codes = array_keys($codes);
        [$flag, $response] = self::respond($failures, $s);
        return ['approved' => false, 'codes' => $codes, 'failures' => $failures, 'flag' => $flag, 'response' => $response, 'claims' => $claims];
    }

    /**
     * src/answer/response.rs respond() for a non-empty list of reasons (failures: code, reason, message, params,
     * product_id): the flag and the response.
     */
    private static function respond(array $reasons, array $s): array
    {
        // Distinct codes, reduced to [a-z0-9_] (a shop's own code is put into a URL).
        $codes = [];
        foreach ($reasons as $r) {
            $c = $r['code'];
            if ($c !== '' && strspn($c, 'abcdefghijklmnopqrstuvwxyz0123456789_') === strlen($c)) {
                $codes[$c] = true;
            }
        }
        $codes = $codes ? array_keys($codes) : [self::FALLBACK_FLAG];
        $flags = [];
        foreach ($codes as $c) {
            $flags[self::CODES[$c][0] ?? self::FALLBACK_FLAG] = true;
        }
        $flag = self::FALLBACK_FLAG;
        foreach (self::KCO_FLAGS as $candidate) {
            if (isset($flags[$candidate])) {
                $flag = $candidate;
                break;
            }
        }
        $answer = $s['answer'] ?? [];
        if (($s['options']['response_mode'] ?? 'redirect') === 'error_json') {
            $lines = [];
            $texts = $answer['texts'] ?? null;
            if ($texts !== null) {
                foreach ($reasons as $r) {
                    $t = self::render($r, $texts);
                    if ($t !== null) {
                        $lines[$t] = true;
                    }
                }
            } else {
                foreach ($reasons as $r) {
                    if ($r['message'] !== '') {
                        $lines[$r['message']] = true;
                    }
                }
            }
            $onlyAddress = true;
            foreach ($codes as $c) {
                if ($c !== 'shipping_unavailable') {
                    $onlyAddress = false;
                    break;
                }
            }
            return [$flag, [
                'status' => 400,
                'location' => null,
                'content_type' => 'application/json; charset=utf-8',
                'body' => json_encode([
                    'error_type' => $onlyAddress ? 'address_error' : 'approval_failed',
                    // Keys are strings (int-like texts become ints as keys): cast back.
                    'error_text' => implode(' ', array_map('strval', array_keys($lines))),
                ], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_LINE_TERMINATORS),
            ]];
        }
        $base = $flag === 'stock_validate_failed' ? $s['urls']['cart'] : $s['urls']['checkout'];
        $args = ['kco_validation' => implode(',', $codes)];
        $key = $answer['details_key'] ?? null;
        if ($key !== null && $key !== '') {
            $signed = self::details($reasons, $key);
            if ($signed !== null) {
                $args[self::DETAILS_ARG] = $signed;
            }
        }
        return [$flag, ['status' => 303, 'location' => self::withArgs($base, $flag, $args), 'content_type' => null, 'body' => '']];
    }

    /**
     * src/answer/details.rs encode(): `<base64url(JSON)>.<hex of the first 16 bytes of HMAC-SHA256 over
     * "kco-validation-details|<payload>">`, or null when no reason says more than its code or it is too long.
     */
    private static function details(array $reasons, string $key): ?string
    {
        $items = [];
        foreach ($reasons as $r) {
            if ($r['reason'] === null && $r['params'] === []) {
                continue;
            }
            if (count($items) === self::DETAILS_MAX_REASONS) {
                break;
            }
            $params = [];
            foreach ($r['params'] as $k => $v) {
                $params[(string) $k] = match (true) {
                    is_int($v) => $v,
                    is_string($v) => self::chars($v, self::DETAILS_MAX_TEXT_CHARS),
                    // serde_json's maps are sorted by key: "c" before "m".
                    default => ['c' => $v['currency'], 'm' => $v['minor']],
                };
            }
            ksort($params, SORT_STRING);
            $items[] = [$r['code'], $r['reason'], (object) $params, $r['product_id']];
        }
        if (!$items) {
            return null;
        }
        $json = json_encode($items, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_LINE_TERMINATORS);
        $payload = rtrim(strtr(base64_encode($json), '+/', '-_'), '=');
        $value = $payload . '.' . substr(hash_hmac('sha256', self::DETAILS_CONTEXT . $payload, $key), 0, 32);
        return strlen($value) <= self::DETAILS_MAX_BYTES ? $value : null;
    }

    /** The first $n characters of a UTF-8 string (Rust's chars().take(n)). */
    private static function chars(string $s, int $n): string
    {
        if (strlen($s) <= $n) {
            return $s;
        }
        preg_match('/^.{0,' . $n . '}/su', $s, $m);
        return $m[0];
    }

    /**
     * src/answer/texts.rs render_one() (plain text): the template `code.reason`, else `code`, filled in; when it needs
     * a parameter the reason does not carry, or there is none, the code's general text; else null.
     */
    private static function render(array $r, array $texts): ?string
    {
        $templates = $texts['templates'] ?? [];
        $template = null;
        if ($r['reason'] !== null) {
            $template = $templates["{$r['code']}.{$r['reason']}"] ?? null;
        }
        $template ??= $templates[$r['code']] ?? null;
        if ($template !== null) {
            $translated = $r['product_id'] > 0 ? ($texts['names'][(string) $r['product_id']] ?? null) : null;
            $args = [];
            foreach ($template['params'] ?? [] as $name) {
                $v = ($name === 'name' && $translated !== null && array_key_exists('name', $r['params']))
                    ? $translated : ($r['params'][$name] ?? null);
                if ($v === null) {
                    $args = null;
                    break;
                }
                $args[] = match (true) {
                    is_int($v) => (string) $v,
                    is_string($v) => self::chars((string) preg_replace('/\p{Cc}/u', '', $v), self::MAX_PARAM_CHARS),
                    default => self::formatPrice($v['minor'], $v['currency'], $texts['price'] ?? null),
                };
            }
            if ($args !== null) {
                return self::sprintf($template['text'], $args);
            }
        }
        $general = $texts['general'][$r['code']] ?? null;
        return $general === null ? null : (string) $general;
    }

    /** texts.rs format_price(): as wc_price() writes it in plain text, or "310.26 SEK". */
    private static function formatPrice(int $minor, string $cur, ?array $p): string
    {
        if ($p === null || strcasecmp($p['currency'], $cur) !== 0) {
            return self::amount($minor, self::exponent($cur), $cur);
        }
        $exp = self::exponent($cur);
        $decimals = min($p['decimals'], 8);
        $abs = $minor === PHP_INT_MIN ? PHP_INT_MAX : abs($minor);
        if ($decimals >= $exp) {
            $digits = $abs . str_repeat('0', $decimals - $exp);
        } else {
            $div = 10 ** ($exp - $decimals);
            $q = intdiv($abs, $div);
            if (2 * ($abs % $div) >= $div) {
                $q++;
            }
            $digits = (string) $q;
        }
        if ($decimals > 0) {
            $digits = str_pad($digits, $decimals + 1, '0', STR_PAD_LEFT);
            $int = substr($digits, 0, -$decimals);
            $frac = substr($digits, -$decimals);
        } else {
            $int = $digits;
            $frac = '';
        }
        $number = '';
        $len = strlen($int);
        for ($i = 0; $i < $len; $i++) {
            if ($i > 0 && ($len - $i) % 3 === 0) {
                $number .= $p['thousand_separator'] ?? '';
            }
            $number .= $int[$i];
        }
        if ($frac !== '') {
            $number .= ($p['decimal_separator'] ?? '.') . $frac;
        }
        return ($minor < 0 ? '-' : '') . self::sprintf($p['format'] ?? "%2\$s\u{a0}%1\$s", [$p['symbol'], $number]);
    }

    /** texts.rs sprintf(): %s, %d, %1$s, %2$d …, %%; anything else as written; a missing argument is empty. */
    private static function sprintf(string $template, array $args): string
    {
        $out = '';
        $next = 0;
        $len = strlen($template);
        $i = 0;
        while (($j = strpos($template, '%', $i)) !== false) {
            $out .= substr($template, $i, $j - $i);
            $c = $template[$j + 1] ?? '';
            if ($c === '%') {
                $out .= '%';
                $i = $j + 2;
                continue;
            }
            if ($c === 's' || $c === 'd') {
                $out .= $args[$next] ?? '';
                $next++;
                $i = $j + 2;
                continue;
            }
            $digits = strspn($template, '0123456789', $j + 1);
            $after = $j + 1 + $digits;
            if ($digits > 0 && ($template[$after] ?? '') === '$' && in_array($template[$after + 1] ?? '', ['s', 'd'], true)) {
                $n = (int) substr($template, $j + 1, $digits);
                $out .= $n >= 1 ? ($args[$n - 1] ?? '') : '';
                $i = $after + 2;
                continue;
            }
            $out .= '%';
            $i = $j + 1;
        }
        return $out . substr($template, $i, $len - $i);
    }

    /**
     * src/answer/url.rs with_args(): add_query_arg() semantics (the bare flag, then name=value pairs; earlier
     * arguments of these names dropped), non-ASCII and controls percent-encoded, the fragment last.
     */
    private static function withArgs(string $url, string $flag, array $args): string
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
                if ($name === $flag || array_key_exists($name, $args)) {
                    continue;
                }
                $out .= self::encode($pair) . '&';
            }
        }
        $out .= $flag;
        foreach ($args as $name => $value) {
            $out .= "&$name=$value";
        }
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

    /** An amount as a failure parameter (src/verdict/failure.rs Value::Money). */
    private static function money(int $minor, string $cur): array
    {
        return ['minor' => $minor, 'currency' => $cur];
    }

    /** The ISO 4217 exponent of a currency (src/money.rs exponent()). */
    private static function exponent(string $cur): int
    {
        return self::EXPONENTS[$cur] ?? 2;
    }

    /** Minor units in a decimal's currency, or null when they do not fit (src/money.rs to_minor() failing). */
    private static function tryMinor(array $d, string $cur): ?int
    {
        try {
            return self::minor($d, self::exponent($cur));
        } catch (\InvalidArgumentException) {
            return null;
        }
    }

    /** A decimal as rust_decimal writes it, with its own scale. */
    private static function decimalString(array $d): string
    {
        [$m, $scale] = $d;
        $a = (string) abs($m);
        if ($scale > 0) {
            $a = str_pad($a, $scale + 1, '0', STR_PAD_LEFT);
            $a = substr($a, 0, -$scale) . '.' . substr($a, -$scale);
        }
        return ($m < 0 ? '-' : '') . $a;
    }

    /** Context::decimal(): a decimal amount for a message. */
    private static function decimalText(array $d, string $cur): string
    {
        $m = self::tryMinor($d, $cur);
        return $m === null ? self::decimalString($d) . " $cur" : self::amount($m, self::exponent($cur), $cur);
    }

    /** Context::decimal_money(): a decimal amount as a failure parameter (text when it does not fit). */
    private static function decimalMoney(array $d, string $cur)
    {
        $m = self::tryMinor($d, $cur);
        return $m === null ? self::decimalText($d, $cur) : self::money($m, $cur);
    }
}
