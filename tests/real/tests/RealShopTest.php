<?php
/**
 * The real-shop scenarios: each makes its shop state with WooCommerce's CRUD, its cart over HTTP as a browser
 * does, the Klarna order as KCO builds it, posts Klarna's callback, checks our answer, and reads what compare mode
 * recorded (the session row byte-identical after it). Disagreements are not failures here: scripts/test-real.sh
 * reports them (tests/real/report.php). Our answer is asserted in every scenario but the per-user coupon limit of a
 * guest's email (WooCommerce 3.9 refuses it only when it creates the order: compare mode records both sides).
 *
 * @package KcoValidation\Plugin\Tests\Real
 */

namespace KcoValidation\Plugin\Tests\Real;

class RealShopTest extends RealTestCase {

	public function test_approve_a_simple_cart(): void {
		$mug = self::product( array( 'stock' => 10 ) );
		$d   = $this->decide( self::shopper( array( $mug->get_id() => 2 ) ) );
		$this->assertSame( 200, $d['answer']->status, $d['answer']->describe() );
		$this->assertSame( 'agree', $d['row']['status'], json_encode( $d['row'] ) );
	}

	public function test_approve_with_a_percent_coupon(): void {
		$mug    = self::product( array( 'price' => '199.00' ) );
		$coupon = self::coupon( array( 'type' => 'percent', 'amount' => '10' ) );
		$d      = $this->decide( self::shopper( array( $mug->get_id() => 3 ), array( $coupon->get_code() ) ) );
		$this->assertSame( 200, $d['answer']->status, $d['answer']->describe() );
		$this->assertSame( 'agree', $d['row']['status'], json_encode( $d['row'] ) );
	}

	public function test_approve_free_shipping_over_the_minimum(): void {
		$chair = self::product( array( 'price' => '2500.00' ) );
		$d     = $this->decide( self::shopper( array( $chair->get_id() => 1 ), array(), self::rate( 'free' ) ) );
		$this->assertSame( 200, $d['answer']->status, $d['answer']->describe() );
	}

	public function test_approve_a_virtual_cart_without_a_shipping_line(): void {
		$ebook = self::product( array( 'virtual' => true, 'price' => '99.00' ) );
		$b     = self::browser();
		$b->add_to_cart( $ebook->get_id(), 1 );
		$b->checkout( 'SE', '11134', null );
		$d = $this->decide( $b );
		$this->assertSame( 200, $d['answer']->status, $d['answer']->describe() );
		$this->assertSame( false, $d['row']['detail']['facts']['needs_shipping'] ?? null, json_encode( $d['row'] ) );
	}

	public function test_approve_a_logged_in_shopper(): void {
		$mug = self::product( array( 'stock' => 10 ) );
		$b   = self::browser();
		$b->login( 'shopper', 'shopper-password-0123' );
		self::shopper( array( $mug->get_id() => 1 ), array(), null, $b );
		$this->assertMatchesRegularExpression( '/^[1-9][0-9]*$/', $b->state()['session_key'], 'a logged-in shopper\'s session key is their user id' );
		$user    = (int) $b->state()['session_key'];
		$meta    = '_woocommerce_persistent_cart_' . get_current_blog_id();
		$before  = self::user_meta( $user, $meta );
		$d       = $this->decide( $b, array( 'email' => 'shopper@example.se' ) );
		$this->assertSame( 200, $d['answer']->status, $d['answer']->describe() );
		$this->assertSame( $before, self::user_meta( $user, $meta ), 'the persistent cart is untouched' );
	}

	public function test_logged_in_shopper_whose_coupon_is_restricted_to_another_email(): void {
		$mug    = self::product();
		$coupon = self::coupon( array() );
		$b      = self::browser();
		$b->login( 'shopper', 'shopper-password-0123' );
		self::shopper( array( $mug->get_id() => 1 ), array( $coupon->get_code() ), null, $b );
		$user   = (int) $b->state()['session_key'];
		$meta   = '_woocommerce_persistent_cart_' . get_current_blog_id();
		$before = self::user_meta( $user, $meta );
		// WooCommerce 3.9's check_customer_coupons() removes such a coupon from the cart (remove_coupon() and its
		// actions): in the sandbox that must reach neither the session row nor the user's persistent cart.
		$d = $this->decide(
			$b,
			array( 'email' => 'shopper@example.se' ),
			static function () use ( $coupon ) {
				$coupon->set_email_restrictions( array( 'someone.else@example.se' ) );
				$coupon->save();
			}
		);
		$this->assertSame( 303, $d['answer']->status );
		$this->assertContains( 'coupon_invalid', $d['codes'] );
		$this->assertSame( $before, self::user_meta( $user, $meta ), 'the persistent cart is untouched' );
	}

	/** A user meta value as stored (raw), read past WordPress's cache. */
	private static function user_meta( int $user, string $key ): ?string {
		global $wpdb;
		$value = $wpdb->get_var( $wpdb->prepare( "SELECT meta_value FROM {$wpdb->usermeta} WHERE user_id = %d AND meta_key = %s", $user, $key ) );
		return null === $value ? null : (string) $value;
	}

	public function test_approve_a_variation_with_its_own_stock(): void {
		$parent = new \WC_Product_Variable();
		$parent->set_name( 'T-shirt ' . getmypid() );
		$attribute = new \WC_Product_Attribute();
		$attribute->set_name( 'Färg' );
		$attribute->set_options( array( 'Röd', 'Blå' ) );
		$attribute->set_visible( true );
		$attribute->set_variation( true );
		$parent->set_attributes( array( $attribute ) );
		$parent->set_status( 'publish' );
		$parent_id = $parent->save();
		$red       = new \WC_Product_Variation();
		$red->set_parent_id( $parent_id );
		$red->set_attributes( array( sanitize_title( 'Färg' ) => 'Röd' ) );
		$red->set_regular_price( '150.00' );
		$red->set_manage_stock( true );
		$red->set_stock_quantity( 4 );
		$red->set_status( 'publish' );
		$red_id = $red->save();
		\WC_Product_Variable::sync( $parent_id );

		$b = self::browser();
		// WC_AJAX::add_to_cart() takes a variation's own id and finds its parent and attributes.
		$b->add_to_cart( $red_id, 2 );
		$b->checkout( 'SE', '11134', self::rate() );
		$this->assertSame( 1, $b->state()['cart_items'], 'the variation is in the cart' );
		$d = $this->decide( $b );
		$this->assertSame( 200, $d['answer']->status, $d['answer']->describe() );
	}

	public function test_out_of_stock_after_the_order_was_built(): void {
		$mug = self::product();
		$d   = $this->decide(
			self::shopper( array( $mug->get_id() => 1 ) ),
			array(),
			static function () use ( $mug ) {
				$mug->set_stock_status( 'outofstock' );
				$mug->save();
			}
		);
		$this->assertSame( 303, $d['answer']->status );
		$this->assertContains( 'out_of_stock', $d['codes'] );
	}

	public function test_insufficient_stock_after_the_order_was_built(): void {
		$mug = self::product( array( 'stock' => 5 ) );
		$d   = $this->decide(
			self::shopper( array( $mug->get_id() => 3 ) ),
			array(),
			static function () use ( $mug ) {
				$mug->set_stock_quantity( 2 );
				$mug->save();
			}
		);
		$this->assertSame( 303, $d['answer']->status );
		$this->assertContains( 'insufficient_stock', $d['codes'] );
	}

	public function test_stock_held_by_another_checkout(): void {
		$mug = self::product( array( 'stock' => 3 ) );
		$b   = self::shopper( array( $mug->get_id() => 2 ) );
		self::other_checkout_order( $mug, 2 );
		$d = $this->decide( $b );
		$this->assertSame( 303, $d['answer']->status, 'WooCommerce 3.5+ holds the other checkout\'s 2 of 3' );
	}

	public function test_backorders_allowed_with_too_little_stock(): void {
		$mug = self::product( array( 'stock' => 5, 'backorders' => 'yes' ) );
		$d   = $this->decide(
			self::shopper( array( $mug->get_id() => 3 ) ),
			array(),
			static function () use ( $mug ) {
				$mug->set_stock_quantity( 1 );
				$mug->save();
			}
		);
		$this->assertSame( 200, $d['answer']->status, $d['answer']->describe() );
	}

	public function test_coupon_expired_after_it_was_applied(): void {
		$mug    = self::product();
		$coupon = self::coupon( array( 'amount' => '10' ) );
		$d      = $this->decide(
			self::shopper( array( $mug->get_id() => 1 ), array( $coupon->get_code() ) ),
			array(),
			static function () use ( $coupon ) {
				$coupon->set_date_expires( time() - DAY_IN_SECONDS );
				$coupon->save();
			}
		);
		$this->assertSame( 303, $d['answer']->status );
		$this->assertContains( 'coupon_invalid', $d['codes'] );
	}

	public function test_coupon_usage_limit_reached_after_it_was_applied(): void {
		$mug    = self::product();
		$coupon = self::coupon( array( 'usage_limit' => 1 ) );
		$d      = $this->decide(
			self::shopper( array( $mug->get_id() => 1 ), array( $coupon->get_code() ) ),
			array(),
			static function () use ( $coupon ) {
				$coupon->set_usage_count( 1 );
				$coupon->save();
			}
		);
		$this->assertSame( 303, $d['answer']->status );
		$this->assertContains( 'coupon_invalid', $d['codes'] );
	}

	public function test_coupon_restricted_to_another_email(): void {
		$mug    = self::product();
		$coupon = self::coupon( array() );
		$d      = $this->decide(
			self::shopper( array( $mug->get_id() => 1 ), array( $coupon->get_code() ) ),
			array( 'email' => 'sofia.lindqvist@example.se' ),
			static function () use ( $coupon ) {
				$coupon->set_email_restrictions( array( 'someone.else@example.se' ) );
				$coupon->save();
			}
		);
		$this->assertSame( 303, $d['answer']->status );
		$this->assertContains( 'coupon_invalid', $d['codes'] );
	}

	public function test_coupon_used_up_by_this_guest_email(): void {
		$mug    = self::product();
		$coupon = self::coupon( array( 'usage_limit_per_user' => 1 ) );
		$this->decide(
			self::shopper( array( $mug->get_id() => 1 ), array( $coupon->get_code() ) ),
			array( 'email' => 'sofia.lindqvist@example.se' ),
			static function () use ( $coupon ) {
				// As an earlier order by this email did (WC_Coupon::increase_usage_count(): usage_count and _used_by).
				$coupon->increase_usage_count( 'sofia.lindqvist@example.se' );
			}
		);
		$this->addToAssertionCount( 1 ); // Per-user limits are being changed (issue 12, point 4): compare mode records both sides.
	}

	public function test_coupon_minimum_spend_raised_after_it_was_applied(): void {
		$mug    = self::product( array( 'price' => '100.00' ) );
		$coupon = self::coupon( array() );
		$d      = $this->decide(
			self::shopper( array( $mug->get_id() => 1 ), array( $coupon->get_code() ) ),
			array(),
			static function () use ( $coupon ) {
				$coupon->set_minimum_amount( '500' );
				$coupon->save();
			}
		);
		$this->assertSame( 303, $d['answer']->status );
		$this->assertContains( 'coupon_invalid', $d['codes'] );
	}

	public function test_klarna_order_without_its_shipping_line(): void {
		$mug = self::product();
		$d   = $this->decide( self::shopper( array( $mug->get_id() => 1 ) ), array( 'no_shipping_line' => 1 ) );
		$this->assertSame( 303, $d['answer']->status );
		$this->assertContains( 'shipping_missing', $d['codes'] );
	}

	public function test_chosen_rate_no_longer_offered_another_is(): void {
		$mug = self::product();
		$d   = $this->decide(
			self::shopper( array( $mug->get_id() => 1 ), array(), self::rate( 'express' ) ),
			array(),
			function () {
				$this->set_method_enabled( self::rate( 'express' ), false );
			}
		);
		// The shop's shipping changed since the cart was calculated: the chosen method is read again (issue 12).
		$this->assertSame( 303, $d['answer']->status );
		$this->assertSame( array( 'shipping_unavailable' ), $d['codes'] );
		$this->assertTrue( $d['row']['detail']['facts']['rate_switched'] ?? false, 'WooCommerce itself switches to the first rate left' );
	}

	public function test_chosen_rate_no_longer_offered_none_is(): void {
		$mug = self::product();
		$d   = $this->decide(
			self::shopper( array( $mug->get_id() => 1 ) ),
			array(),
			function () {
				$this->set_method_enabled( self::rate( 'postnord' ), false );
				$this->set_method_enabled( self::rate( 'express' ), false );
			}
		);
		$this->assertSame( 303, $d['answer']->status );
		$this->assertSame( array( 'shipping_unavailable' ), $d['codes'] );
	}

	public function test_shipping_needed_but_no_method_set_up(): void {
		$mug = self::product();
		$b   = self::shopper( array( $mug->get_id() => 1 ) );
		$d   = $this->decide(
			$b,
			array(),
			function () {
				foreach ( array( 'postnord', 'express', 'free' ) as $name ) {
					$this->set_method_enabled( self::rate( $name ), null );
				}
				$this->set_method_enabled( self::rate( 'postnord', 'NO' ), null );
			}
		);
		// No method set up: WooCommerce calculates the cart without its shipping, no longer Klarna's total.
		$this->assertSame( 303, $d['answer']->status );
		$this->assertSame( array( 'totals_mismatch', 'tax_mismatch' ), $d['codes'] );
	}

	public function test_totals_mismatch(): void {
		$mug = self::product();
		$d   = $this->decide( self::shopper( array( $mug->get_id() => 2 ) ), array( 'amount_delta' => 100 ) );
		$this->assertSame( 303, $d['answer']->status );
		$this->assertContains( 'totals_mismatch', $d['codes'] );
	}

	public function test_price_changed_after_the_cart_was_calculated(): void {
		$mug = self::product( array( 'price' => '125.00' ) );
		$d   = $this->decide(
			self::shopper( array( $mug->get_id() => 2 ) ),
			array(),
			static function () use ( $mug ) {
				$mug->set_regular_price( '150.00' );
				$mug->save();
			}
		);
		// The price the cart was calculated with (recorded in the session) is not the product's now (issue 12).
		$this->assertSame( 303, $d['answer']->status );
		$this->assertSame( array( 'totals_mismatch' ), $d['codes'] );
	}

	public function test_cart_changed_in_another_tab(): void {
		$mug = self::product();
		$cup = self::product();
		$b   = self::shopper( array( $mug->get_id() => 1 ) );
		$d   = $this->decide(
			$b,
			array(),
			static function () use ( $b, $cup ) {
				$b->add_to_cart( $cup->get_id(), 1 );
				$b->checkout( 'SE', '11134', self::rate() );
			}
		);
		$this->assertSame( 303, $d['answer']->status );
		$this->assertContains( 'cart_mismatch', $d['codes'] );
	}

	public function test_product_trashed_after_the_order_was_built(): void {
		$mug = self::product();
		$d   = $this->decide(
			self::shopper( array( $mug->get_id() => 1 ) ),
			array(),
			static function () use ( $mug ) {
				wp_trash_post( $mug->get_id() );
			}
		);
		$this->assertSame( 303, $d['answer']->status );
		// WooCommerce drops a trashed product from the cart as no longer purchasable: known, not unknown (issue 12).
		$this->assertContains( 'not_purchasable', $d['codes'] );
		$this->assertNotContains( 'unknown_product', $d['codes'] );
	}

	public function test_unknown_session_is_not_compared(): void {
		$mug = self::product();
		$b   = self::shopper( array( $mug->get_id() => 1 ) );
		$d   = $this->decide( $b, array( 'new_order' => 1 ), null, 't_' . str_repeat( '0', 30 ) );
		$this->assertSame( 303, $d['answer']->status );
		$this->assertContains( 'session_missing', $d['codes'] );
		$this->assertSame( 'skipped', $d['row']['status'] );
		$this->assertSame( 'session_missing', $d['row']['detail']['skipped'] ?? null );
	}

	public function test_the_answer_never_waits_for_the_comparison(): void {
		update_option( 'kco_real_slow_compare_ms', 3000 );
		$this->undo( static fn () => delete_option( 'kco_real_slow_compare_ms' ) );
		$mug   = self::product();
		$order = self::shopper( array( $mug->get_id() => 1 ) )->klarna_order();
		list( $r, $ms, $key, $before ) = $this->klarna_callback( $order );
		$this->assertSame( 200, $r->status, $r->describe() );
		$this->assertLessThan( 1500.0, $ms, 'Klarna had its answer before the 3 s comparison ended' );
		$start = microtime( true );
		$row   = $this->compared( $order, $key, $before, $r );
		$this->assertGreaterThan( 1.0, microtime( true ) - $start, 'the comparison ran after the answer' );
		$this->assertSame( 'agree', $row['status'] );
	}

	/**
	 * Another shopper's checkout holding $qty of a product: a pending order created at checkout (3.5–4.2 count its
	 * `_qty`), with its stock reserved (4.3+: wc_reserved_stock).
	 */
	private static function other_checkout_order( \WC_Product $product, int $qty ): void {
		$order = wc_create_order(
			array(
				'status'      => 'pending',
				'created_via' => 'checkout',
			)
		);
		$order->add_product( $product, $qty );
		$order->calculate_totals();
		$order->save();
		if ( function_exists( 'wc_reserve_stock_for_order' ) ) {
			wc_reserve_stock_for_order( $order );
		}
	}

	/**
	 * Enables or disables a zone's shipping method instance (null: deletes it), and puts it back when the test ends.
	 */
	private function set_method_enabled( string $rate_id, ?bool $enabled ): void {
		global $wpdb;
		list( $method, $instance ) = explode( ':', $rate_id ) + array( '', '0' );
		$table = $wpdb->prefix . 'woocommerce_shipping_zone_methods';
		$row   = $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$table} WHERE instance_id = %d", (int) $instance ), ARRAY_A );
		if ( ! is_array( $row ) ) {
			return;
		}
		if ( null === $enabled ) {
			$wpdb->delete( $table, array( 'instance_id' => (int) $instance ) );
			$this->undo( static fn () => $wpdb->insert( $table, $row ) );
		} else {
			$wpdb->update( $table, array( 'is_enabled' => $enabled ? 1 : 0 ), array( 'instance_id' => (int) $instance ) );
			$this->undo( static fn () => $wpdb->update( $table, array( 'is_enabled' => $row['is_enabled'] ), array( 'instance_id' => (int) $instance ) ) );
		}
		$this->undo( static fn () => self::flush_shipping_caches() );
		self::flush_shipping_caches();
	}

	/**
	 * What WooCommerce does when zones change (WC_Shipping_Zone::save(), the admin's zone screens). Its shipping
	 * cache version is the time in seconds: a change in the second the cart was calculated keeps the version (and
	 * WooCommerce's own package hash, so WooCommerce itself would reuse the session's rates then). A shop owner does
	 * not change zones within a second of a shopper's calculation: the scenario waits for the next second.
	 */
	private static function flush_shipping_caches(): void {
		$second = time();
		while ( time() === $second ) {
			usleep( 20000 );
		}
		\WC_Cache_Helper::get_transient_version( 'shipping', true );
		delete_transient( 'wc_shipping_method_count_legacy' );
		delete_transient( 'wc_shipping_method_count' );
		wp_cache_flush();
	}
}
