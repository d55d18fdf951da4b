package io.heapsdk.sample;

import java.util.List;
import java.util.Random;

/** Who visits the sample shop: their devices, places, IP addresses and, once identified, emails. */
final class Audience {
  /** What a session records about the device: library, platform, device type, device, browser. */
  record Device(String library, String platform, String deviceType, String device, String browser) {}

  /** What a session records about the place of its IP address. */
  record Place(String country, String region, String city) {}

  static final List<Device> DEVICES =
      List.of(
          new Device("web", "Mac OS X", "Desktop", "MacBook Pro", "Chrome"),
          new Device("web", "Mac OS X", "Desktop", "MacBook Air", "Safari"),
          new Device("web", "Windows", "Desktop", "PC", "Chrome"),
          new Device("web", "Windows", "Desktop", "PC", "Edge"),
          new Device("web", "Linux", "Desktop", "PC", "Firefox"),
          new Device("web", "iOS", "Mobile", "iPhone", "Mobile Safari"),
          new Device("web", "iOS", "Mobile", "iPhone", "Mobile Safari"),
          new Device("web", "Android", "Mobile", "Pixel 8", "Chrome Mobile"),
          new Device("web", "Android", "Mobile", "Galaxy S23", "Samsung Internet"),
          new Device("web", "iOS", "Tablet", "iPad", "Mobile Safari"));

  // the United States appear three times: most of the shop's visitors are there
  static final List<Place> PLACES =
      List.of(
          new Place("United States", "California", "San Francisco"),
          new Place("United States", "New York", "New York"),
          new Place("United States", "Texas", "Austin"),
          new Place("United Kingdom", "England", "London"),
          new Place("Germany", "Berlin", "Berlin"),
          new Place("France", "Île-de-France", "Paris"),
          new Place("Brazil", "São Paulo", "São Paulo"),
          new Place("India", "Karnataka", "Bengaluru"),
          new Place("Japan", "Tokyo", "Tokyo"),
          new Place("Canada", "Ontario", "Toronto"),
          new Place("Australia", "New South Wales", "Sydney"),
          new Place("Spain", "Catalonia", "Barcelona"));

  private static final List<String> FIRST_NAMES =
      List.of("maria", "james", "aiko", "lukas", "chloe", "ravi", "sofia", "noah", "amara", "mateo", "emma", "liam");

  private static final List<String> LAST_NAMES =
      List.of("garcia", "smith", "tanaka", "schmidt", "dubois", "patel", "rossi", "kim", "okafor", "silva", "nguyen");

  private Audience() {}

  static String ip(Random rnd) {
    int first = 11 + rnd.nextInt(212);
    if (first == 127) {
      first = 128;
    }
    return first + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + (1 + rnd.nextInt(254));
  }

  /** The identity of user number {@code index}: unique, because the index is part of it. */
  static String email(int index) {
    return FIRST_NAMES.get(index % FIRST_NAMES.size())
        + "."
        + LAST_NAMES.get((index / FIRST_NAMES.size()) % LAST_NAMES.size())
        + "."
        + index
        + "@example.org";
  }
}
