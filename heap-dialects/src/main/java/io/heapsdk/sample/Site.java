package io.heapsdk.sample;

import java.util.List;
import java.util.Random;

/**
 * The pages of the sample shop, {@code www.example.com}: what a pageview's path, query, hash, title and
 * category are. Titles hold non-ASCII text and quotes on purpose, as real titles do.
 */
final class Site {
  static final String DOMAIN = "www.example.com";

  /**
   * One page as a pageview records it; {@code category} feeds pass-through properties, {@code event} is
   * the event viewing it always fires (null for none).
   */
  record Page(String path, String query, String hash, String title, String category, String event) {
    Page(String path, String query, String hash, String title, String category) {
      this(path, query, hash, title, category, null);
    }

    String url() {
      return "https://" + DOMAIN + path + (query == null ? "" : query);
    }

    Page withQuery(String newQuery) {
      return new Page(path, newQuery, hash, title, category, event);
    }

    Page firing(String newEvent) {
      return new Page(path, query, hash, title, category, newEvent);
    }
  }

  private record Product(String slug, String name) {}

  private static final List<Product> PRODUCTS =
      List.of(
          new Product("trail-runner-2", "Trail Runner 2 Shoes"),
          new Product("merino-socks", "Merino Hiking Socks (3-pack)"),
          new Product("storm-shell-jacket", "Storm Shell Jacket"),
          new Product("daypack-30l", "Daypack 30L"),
          new Product("insulated-bottle", "Insulated Bottle 750 ml"),
          new Product("camp-stove", "Camp Stove"),
          new Product("headlamp-400", "Headlamp 400"),
          new Product("down-sleeping-bag", "Down Sleeping Bag −5 °C"),
          new Product("trekking-poles", "Carbon Trekking Poles"),
          new Product("kids-rain-boots", "Kids' Rain Boots"),
          new Product("cafe-mug", "Café Enamel Mug"),
          new Product("sun-hoodie", "UPF 50 Sun Hoodie"));

  private static final List<String> POSTS =
      List.of("trail-running-guide", "packing-list-weekend", "how-to-layer", "spring-picks");

  private static final List<String> SEARCHES =
      List.of("rain+jacket", "trail+shoes", "headlamp", "sleeping+bag", "socks", "mug");

  private Site() {}

  /** A page a visitor browses to, weighted like a small shop's traffic. */
  static Page browse(Random rnd) {
    switch (Pick.weighted(rnd, 25, 15, 30, 8, 10, 7, 3, 2)) {
      case 0:
        return new Page("/", null, null, "Example Outdoor – Gear for every trail", "home");
      case 1:
        return new Page("/products", null, null, "All products | Example Outdoor", "catalog");
      case 2:
        return product(rnd);
      case 3:
        return new Page("/pricing", null, null, "Membership & pricing | Example Outdoor", "pricing");
      case 4:
        String post = Pick.one(rnd, POSTS);
        return new Page("/blog/" + post, null, null, "Journal: " + post.replace('-', ' ') + " | Example Outdoor", "blog");
      case 5:
        return new Page("/search", "?q=" + Pick.one(rnd, SEARCHES), null, "Search results | Example Outdoor", "search", "search");
      case 6:
        return new Page("/about", null, null, "About us | Example Outdoor", "about");
      default:
        return new Page("/help/shipping", null, "#returns", "Shipping & returns | Example Outdoor", "help");
    }
  }

  static Page product(Random rnd) {
    Product p = Pick.one(rnd, PRODUCTS);
    String hash = Pick.chance(rnd, 0.05) ? "#reviews" : null;
    return new Page("/products/" + p.slug(), null, hash, p.name() + " | Example Outdoor", "product");
  }

  /** The page funnel step {@code step} (1-based, as in {@link SampleData#FUNNEL_EVENTS}) happens on. */
  static Page funnelPage(Random rnd, int step) {
    String event = SampleData.FUNNEL_EVENTS.get(step - 1);
    switch (step) {
      case 1:
        return product(rnd).firing(event);
      case 2:
        return new Page("/cart", null, null, "Your cart | Example Outdoor", "cart", event);
      case 3:
        return new Page("/checkout", null, null, "Checkout | Example Outdoor", "checkout", event);
      default:
        return new Page("/checkout/confirmation", null, null, "Thank you for your order! | Example Outdoor", "checkout", event);
    }
  }

  static Page signUp() {
    return new Page("/signup", null, null, "Create your account | Example Outdoor", "signup", "sign_up");
  }
}
