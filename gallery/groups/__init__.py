"""Group chats: a photo posted in one becomes an object only when its sender asks, once."""
