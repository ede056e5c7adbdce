"""
Security headers on every response. The Content Security Policy allows
scripts, styles, images and fonts from our own origin only: no inline
scripts, handlers or styles (behaviour lives in static/js, looks in
static/css), nothing from other origins, no framing, no plugins. Django's
SecurityMiddleware adds HSTS (over HTTPS), nosniff and the Referrer-Policy;
file downloads set a stricter policy of their own (core.downloads).
"""

PLOTLY_STYLE_HASHES = (
    "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",  # the empty element
    "sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o=",  # plotly's modebar rules
)
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    # plotly.js (vendored, pinned) adds one empty <style> element and its own
    # rules: allowed by their hashes, nothing else inline.
    "style-src 'self' " + " ".join(f"'{digest}'" for digest in PLOTLY_STYLE_HASHES),
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy",
                                    "camera=(), microphone=(), geolocation=(), payment=()")
        return response
