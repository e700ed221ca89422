"""Distribution links: one per place, their devices, access codes and QR posters."""
