--TEST--
The extension is loaded and reports its version and build (no --EXTENSIONS--: a load failure fails this test)
--FILE--
<?php
var_dump(extension_loaded('kco_validation'));
var_dump(KcoValidation\version() === phpversion('kco_validation'));
$info = KcoValidation\build_info();
var_dump(array_keys($info));
var_dump(preg_match('/^\d{8}$/', $info['php_api']) === 1, $info['zts'] === (PHP_ZTS === 1), $info['profile']);
ob_start();
phpinfo(INFO_MODULES);
$text = ob_get_clean();
var_dump(str_contains($text, 'kco_validation support => enabled'), str_contains($text, 'built for PHP API => ' . $info['php_api']));
?>
--EXPECT--
bool(true)
bool(true)
array(7) {
  [0]=>
  string(7) "version"
  [1]=>
  string(7) "php_api"
  [2]=>
  string(11) "php_version"
  [3]=>
  string(3) "zts"
  [4]=>
  string(5) "debug"
  [5]=>
  string(5) "rustc"
  [6]=>
  string(7) "profile"
}
bool(true)
bool(true)
string(7) "release"
bool(true)
bool(true)
