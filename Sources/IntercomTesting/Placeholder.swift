enum _PlaceholderIntercomTesting {}
