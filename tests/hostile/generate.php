<?php
/**
 * The hostile corpus: reads tests/hostile/manifest.json and gives every case with its body bytes. The big bodies
 * (100 000 lines, 10 MB, nesting 10 000 deep, …) are not committed: they are generated here, deterministically,
 * from examples/order.json.
 *
 * As a library (PHPT, the plugin's PHPUnit/HTTP tests):
 *     require 'tests/hostile/generate.php';
 *     foreach (kco_hostile_cases() as $case) { … $case['body'] … $case['expected'] … }
 *
 * From the shell, writes every generated body into a directory (for curl, wrk, …):
 *     php tests/hostile/generate.php /tmp/hostile        → /tmp/hostile/<name>.json
 *
 * Plain PHP 7.4+, no extension needed. See tests/hostile/README.md for the manifest format.
 */

declare(strict_types=1);

/** The directory of the corpus (tests/hostile). */
function kco_hostile_dir(): string {
    return __DIR__;
}

/**
 * The example order as a PHP array, with the keys a hostile case does not need left out (the same base the
 * committed bodies were made from).
 */
function kco_hostile_base(): array {
    $o = json_decode((string) file_get_contents(__DIR__ . '/../../examples/order.json'), true, 512, JSON_THROW_ON_ERROR);
    foreach (['html_snippet', 'merchant_urls', 'options', 'billing_countries', 'shipping_countries', 'started_at', 'last_modified_at', 'customer'] as $k) {
        unset($o[$k]);
    }
    return $o;
}

function kco_hostile_encode(array $o): string {
    return json_encode($o, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR);
}

/**
 * A generated body by name. Every generator is deterministic: the same name gives the same bytes.
 *
 * @throws InvalidArgumentException for an unknown name.
 */
function kco_hostile_generate(string $name): string {
    $base = kco_hostile_base();
    $line = $base['order_lines'][0];
    switch ($name) {
        case 'lines-1001':
        case 'lines-100000':
            // N copies of the first line: one past Klarna's maximum, and 100 000 (about 12 MB).
            $n = (int) substr($name, 6);
            $o = $base;
            $o['order_lines'] = array_fill(0, $n, $line);
            return kco_hostile_encode($o);
        case 'body-10mb':
            // The example order padded to 10 MiB with a field Klarna sends and the checks ignore.
            $o = $base;
            $o['html_snippet'] = '';
            $body = kco_hostile_encode($o);
            $pad = 10 * 1024 * 1024 - strlen($body);
            $o['html_snippet'] = str_repeat('<div>klarna</div>', intdiv($pad, 17)) . str_repeat('x', $pad % 17);
            return kco_hostile_encode($o);
        case 'merchant-data-huge':
            // merchant_data of 900 000 bytes (under the plugin's 1 MiB body cap): JSON with a long padding string.
            $o = $base;
            $o['merchant_data'] = json_encode(['is_user_logged_in' => false, 'pad' => str_repeat('A', 900000)]);
            return kco_hostile_encode($o);
        case 'nesting-10000-body':
            // The whole body: 10 000 nested arrays.
            return str_repeat('[', 10000) . str_repeat(']', 10000);
        case 'nesting-10000-object-body':
            // The whole body: 10 000 nested objects {"a":{"a":…}}.
            return str_repeat('{"a":', 10000) . '1' . str_repeat('}', 10000);
        case 'nesting-10000-in-lines':
            // 10 000 nested arrays as the first element of order_lines (a field the model reads).
            $body = kco_hostile_encode($base);
            return preg_replace('/"order_lines":\[/', '"order_lines":[' . str_repeat('[', 10000) . str_repeat(']', 10000) . ',', $body, 1);
        case 'nesting-10000-unknown-field':
            // 10 000 nested objects under a key the model does not read (skipped without recursion).
            $body = kco_hostile_encode($base);
            return '{"attachment":' . str_repeat('{"a":', 10000) . 'null' . str_repeat('}', 10000) . ',' . substr($body, 1);
        case 'crlf-100000-lines-of-headers':
            // 100 000 CR/LF-separated header lines inside one reference.
            $o = $base;
            $o['order_lines'][0]['reference'] = 'KOPP-STG-01' . str_repeat("\r\nSet-Cookie: a=b", 100000);
            return kco_hostile_encode($o);
    }
    throw new InvalidArgumentException("no generator named $name");
}

/**
 * Every case of the manifest with its body: name, exercises, expected, http (or null), store (absolute path) and
 * body (the bytes).
 *
 * @return list<array{name: string, exercises: string, expected: array, http: ?array, store: string, body: string}>
 */
function kco_hostile_cases(): array {
    $dir = kco_hostile_dir();
    $manifest = json_decode((string) file_get_contents($dir . '/manifest.json'), true, 512, JSON_THROW_ON_ERROR);
    $default_store = $dir . '/' . $manifest['store'];
    $out = [];
    foreach ($manifest['cases'] as $case) {
        if (isset($case['file'])) {
            $body = file_get_contents($dir . '/' . $case['file']);
            if ($body === false) {
                throw new RuntimeException("cannot read {$case['file']}");
            }
        } else {
            $body = kco_hostile_generate($case['generate']);
        }
        $out[] = [
            'name' => $case['name'],
            'exercises' => $case['exercises'],
            'expected' => $case['expected'],
            'http' => $case['http'] ?? null,
            'store' => isset($case['store']) ? $dir . '/' . $case['store'] : $default_store,
            'body' => $body,
        ];
    }
    return $out;
}

if (PHP_SAPI === 'cli' && isset($argv[0]) && realpath($argv[0]) === __FILE__) {
    if (!isset($argv[1])) {
        fwrite(STDERR, "usage: php tests/hostile/generate.php <directory>\n");
        exit(2);
    }
    $target = rtrim($argv[1], '/');
    if (!is_dir($target) && !mkdir($target, 0777, true)) {
        fwrite(STDERR, "cannot create $target\n");
        exit(1);
    }
    $manifest = json_decode((string) file_get_contents(__DIR__ . '/manifest.json'), true, 512, JSON_THROW_ON_ERROR);
    foreach ($manifest['cases'] as $case) {
        if (isset($case['generate'])) {
            $body = kco_hostile_generate($case['generate']);
            file_put_contents("$target/{$case['generate']}.json", $body);
            printf("%s/%s.json %d bytes\n", $target, $case['generate'], strlen($body));
        }
    }
}
