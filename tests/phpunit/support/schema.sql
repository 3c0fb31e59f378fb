-- Tables the plugin's SQL reads, created as their owners define them. {prefix} is replaced by the test bootstrap.
-- WordPress 6.1 (Debian package): wp-admin/includes/schema.php, wp_get_db_schema() ('blog' and 'global' scopes).
CREATE TABLE {prefix}options (
	option_id bigint(20) unsigned NOT NULL auto_increment,
	option_name varchar(191) NOT NULL default '',
	option_value longtext NOT NULL,
	autoload varchar(20) NOT NULL default 'yes',
	PRIMARY KEY  (option_id),
	UNIQUE KEY option_name (option_name),
	KEY autoload (autoload)
) {collate};
CREATE TABLE {prefix}postmeta (
	meta_id bigint(20) unsigned NOT NULL auto_increment,
	post_id bigint(20) unsigned NOT NULL default '0',
	meta_key varchar(255) default NULL,
	meta_value longtext,
	PRIMARY KEY  (meta_id),
	KEY post_id (post_id),
	KEY meta_key (meta_key(191))
) {collate};
CREATE TABLE {prefix}posts (
	ID bigint(20) unsigned NOT NULL auto_increment,
	post_author bigint(20) unsigned NOT NULL default '0',
	post_date datetime NOT NULL default '0000-00-00 00:00:00',
	post_date_gmt datetime NOT NULL default '0000-00-00 00:00:00',
	post_content longtext NOT NULL,
	post_title text NOT NULL,
	post_excerpt text NOT NULL,
	post_status varchar(20) NOT NULL default 'publish',
	comment_status varchar(20) NOT NULL default 'open',
	ping_status varchar(20) NOT NULL default 'open',
	post_password varchar(255) NOT NULL default '',
	post_name varchar(200) NOT NULL default '',
	to_ping text NOT NULL,
	pinged text NOT NULL,
	post_modified datetime NOT NULL default '0000-00-00 00:00:00',
	post_modified_gmt datetime NOT NULL default '0000-00-00 00:00:00',
	post_content_filtered longtext NOT NULL,
	post_parent bigint(20) unsigned NOT NULL default '0',
	guid varchar(255) NOT NULL default '',
	menu_order int(11) NOT NULL default '0',
	post_type varchar(20) NOT NULL default 'post',
	post_mime_type varchar(100) NOT NULL default '',
	comment_count bigint(20) NOT NULL default '0',
	PRIMARY KEY  (ID),
	KEY post_name (post_name(191)),
	KEY type_status_date (post_type,post_status,post_date,ID),
	KEY post_parent (post_parent),
	KEY post_author (post_author)
) {collate};
CREATE TABLE {prefix}users (
	ID bigint(20) unsigned NOT NULL auto_increment,
	user_login varchar(60) NOT NULL default '',
	user_pass varchar(255) NOT NULL default '',
	user_nicename varchar(50) NOT NULL default '',
	user_email varchar(100) NOT NULL default '',
	user_url varchar(100) NOT NULL default '',
	user_registered datetime NOT NULL default '0000-00-00 00:00:00',
	user_activation_key varchar(255) NOT NULL default '',
	user_status int(11) NOT NULL default '0',
	display_name varchar(250) NOT NULL default '',
	PRIMARY KEY  (ID),
	KEY user_login_key (user_login),
	KEY user_nicename (user_nicename),
	KEY user_email (user_email)
) {collate};
CREATE TABLE {prefix}usermeta (
	umeta_id bigint(20) unsigned NOT NULL auto_increment,
	user_id bigint(20) unsigned NOT NULL default '0',
	meta_key varchar(255) default NULL,
	meta_value longtext,
	PRIMARY KEY  (umeta_id),
	KEY user_id (user_id),
	KEY meta_key (meta_key(191))
) {collate};
CREATE TABLE {prefix}terms (
	term_id bigint(20) unsigned NOT NULL auto_increment,
	name varchar(200) NOT NULL default '',
	slug varchar(200) NOT NULL default '',
	term_group bigint(10) NOT NULL default 0,
	PRIMARY KEY  (term_id),
	KEY slug (slug(191)),
	KEY name (name(191))
) {collate};
CREATE TABLE {prefix}term_taxonomy (
	term_taxonomy_id bigint(20) unsigned NOT NULL auto_increment,
	term_id bigint(20) unsigned NOT NULL default 0,
	taxonomy varchar(32) NOT NULL default '',
	description longtext NOT NULL,
	parent bigint(20) unsigned NOT NULL default 0,
	count bigint(20) NOT NULL default 0,
	PRIMARY KEY  (term_taxonomy_id),
	UNIQUE KEY term_id_taxonomy (term_id,taxonomy),
	KEY taxonomy (taxonomy)
) {collate};
CREATE TABLE {prefix}term_relationships (
	object_id bigint(20) unsigned NOT NULL default 0,
	term_taxonomy_id bigint(20) unsigned NOT NULL default 0,
	term_order int(11) NOT NULL default 0,
	PRIMARY KEY  (object_id,term_taxonomy_id),
	KEY term_taxonomy_id (term_taxonomy_id)
) {collate};
-- WooCommerce: plugins/woocommerce/includes/class-wc-install.php, get_schema().
CREATE TABLE {prefix}woocommerce_sessions (
	session_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	session_key char(32) NOT NULL,
	session_value longtext NOT NULL,
	session_expiry BIGINT UNSIGNED NOT NULL,
	PRIMARY KEY  (session_id),
	UNIQUE KEY session_key (session_key)
) {collate};
CREATE TABLE {prefix}woocommerce_shipping_zone_methods (
	zone_id BIGINT UNSIGNED NOT NULL,
	instance_id BIGINT UNSIGNED NOT NULL auto_increment,
	method_id varchar(200) NOT NULL,
	method_order BIGINT UNSIGNED NOT NULL,
	is_enabled tinyint(1) NOT NULL DEFAULT '1',
	PRIMARY KEY  (instance_id)
) {collate};
CREATE TABLE {prefix}wc_product_meta_lookup (
	`product_id` bigint(20) NOT NULL,
	`sku` varchar(100) NULL default '',
	`global_unique_id` varchar(100) NULL default '',
	`virtual` tinyint(1) NULL default 0,
	`downloadable` tinyint(1) NULL default 0,
	`min_price` decimal(19,4) NULL default NULL,
	`max_price` decimal(19,4) NULL default NULL,
	`onsale` tinyint(1) NULL default 0,
	`stock_quantity` double NULL default NULL,
	`stock_status` varchar(100) NULL default 'instock',
	`rating_count` bigint(20) NULL default 0,
	`average_rating` decimal(3,2) NULL default 0.00,
	`total_sales` bigint(20) NULL default 0,
	`tax_status` varchar(100) NULL default 'taxable',
	`tax_class` varchar(100) NULL default '',
	PRIMARY KEY  (`product_id`),
	KEY `virtual` (`virtual`),
	KEY `downloadable` (`downloadable`),
	KEY `stock_status` (`stock_status`),
	KEY `stock_quantity` (`stock_quantity`),
	KEY `onsale` (`onsale`),
	KEY min_max_price (`min_price`, `max_price`),
	KEY sku (sku(50))
) {collate};
CREATE TABLE {prefix}wc_reserved_stock (
	`order_id` bigint(20) NOT NULL,
	`product_id` bigint(20) NOT NULL,
	`stock_quantity` double NOT NULL DEFAULT 0,
	`timestamp` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
	`expires` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
	PRIMARY KEY  (`order_id`, `product_id`)
) {collate};
-- WooCommerce: includes/class-wc-install.php, get_schema() (order items; held stock of WooCommerce 3.5–4.2).
CREATE TABLE {prefix}woocommerce_order_items (
	order_item_id BIGINT UNSIGNED NOT NULL auto_increment,
	order_item_name TEXT NOT NULL,
	order_item_type varchar(200) NOT NULL DEFAULT '',
	order_id BIGINT UNSIGNED NOT NULL,
	PRIMARY KEY  (order_item_id),
	KEY order_id (order_id)
) {collate};
CREATE TABLE {prefix}woocommerce_order_itemmeta (
	meta_id BIGINT UNSIGNED NOT NULL auto_increment,
	order_item_id BIGINT UNSIGNED NOT NULL,
	meta_key varchar(255) default NULL,
	meta_value longtext NULL,
	PRIMARY KEY  (meta_id),
	KEY order_item_id (order_item_id),
	KEY meta_key (meta_key(32))
) {collate};
-- The plugin's own stock claims: php/src/Claims/ClaimStore.php, schema() (ClaimStoreTest compares the two).
CREATE TABLE {prefix}kco_validation_claims (
	klarna_order_id varchar(64) NOT NULL,
	product_id bigint(20) unsigned NOT NULL,
	quantity bigint(20) NOT NULL DEFAULT '0',
	wc_order_id bigint(20) unsigned NOT NULL DEFAULT '0',
	created_at datetime NOT NULL,
	expires datetime NOT NULL,
	PRIMARY KEY  (klarna_order_id,product_id),
	KEY product_expires (product_id,expires),
	KEY wc_order_id (wc_order_id)
) {collate};
-- WooCommerce HPOS: src/Internal/DataStores/Orders/OrdersTableDataStore.php, get_database_schema() (orders table).
CREATE TABLE {prefix}wc_orders (
	id bigint(20) unsigned,
	status varchar(20) null,
	currency varchar(10) null,
	type varchar(20) null,
	tax_amount decimal(26,8) null,
	total_amount decimal(26,8) null,
	customer_id bigint(20) unsigned null,
	billing_email varchar(320) null,
	date_created_gmt datetime null,
	date_updated_gmt datetime null,
	parent_order_id bigint(20) unsigned null,
	payment_method varchar(100) null,
	payment_method_title text null,
	transaction_id varchar(100) null,
	ip_address varchar(100) null,
	user_agent text null,
	customer_note text null,
	PRIMARY KEY (id),
	KEY status (status),
	KEY date_created (date_created_gmt),
	KEY customer_id_billing_email (customer_id, billing_email(171)),
	KEY billing_email (billing_email(191)),
	KEY type_status_date (type, status, date_created_gmt),
	KEY parent_order_id (parent_order_id),
	KEY date_updated (date_updated_gmt)
) {collate};
