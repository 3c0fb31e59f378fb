--TEST--
php/stubs/kco_validation.php matches what Reflection reports of the loaded extension
--EXTENSIONS--
kco_validation
--FILE--
<?php
$stubs = file_get_contents(__DIR__ . '/../../php/stubs/kco_validation.php');
$ext = new ReflectionExtension('kco_validation');
$short = fn(string $t) => str_replace('KcoValidation\\', '', ltrim($t, '\\'));
$type = fn(?ReflectionType $t) => $t === null ? '' : ': ' . $short((string) $t);
$signature = function (ReflectionFunctionAbstract $f) use ($type, $short) {
    $params = array_map(fn(ReflectionParameter $p) => $short((string) $p->getType()) . ' $' . $p->getName() . ($p->isOptional() ? ' = null' : ''), $f->getParameters());
    return $f->getShortName() . '( ' . implode(', ', $params) . ' )' . $type($f->getReturnType());
};
$seen = [];
foreach ($ext->getFunctions() as $f) {
    $seen[] = $sig = 'function ' . str_replace('(  )', '()', $signature($f));
    echo str_contains($stubs, $sig) ? 'ok' : 'MISSING', " $sig\n";
}
foreach ($ext->getClasses() as $c) {
    $head = ($c->isFinal() ? 'final ' : '') . 'class ' . $c->getShortName() . ($c->getParentClass() ? ' extends \\' . $c->getParentClass()->getName() : '');
    $seen[] = $head;
    echo str_contains($stubs, $head) ? 'ok' : 'MISSING', " $head\n";
    foreach ($c->getMethods() as $m) {
        if ($m->getDeclaringClass()->getName() !== $c->getName()) continue;
        $sig = 'public ' . ($m->isStatic() ? 'static ' : '') . 'function ' . str_replace('(  )', '()', $signature($m));
        $seen[] = $sig;
        echo str_contains($stubs, $sig) ? 'ok' : 'MISSING', " $sig\n";
    }
}
// And nothing in the stubs that the extension lacks.
preg_match_all('/^\s*((?:final )?class \w+(?: extends \\\\\w+)?|(?:public (?:static )?)?function \w+\(.*\)(?:: \??\w+)?)/m', $stubs, $m);
foreach ($m[1] as $declared) {
    if (!in_array($declared, $seen, true)) echo "EXTRA $declared\n";
}
?>
--EXPECT--
ok function codes(): array
ok function answer( array $reasons, array $inputs ): array
ok function render_reasons( array $reasons, array $texts, ?bool $html = null ): array
ok function read_details( string $value, string $key ): ?array
ok function version(): string
ok function build_info(): array
ok class InvalidPayload extends \Exception
ok public function __construct()
ok final class Order
ok public static function parse( string $json ): Order
ok public function id(): string
ok public function currency(): string
ok public function country(): string
ok public function locale(): string
ok public function references(): array
ok public function coupons(): array
ok public function billingEmail(): ?string
ok public function shippingReferences(): array
ok public function requiresValidateSuccess(): bool
ok public function validate( array $store ): array
ok public function __construct()
