"""Security headers beyond those Django's SecurityMiddleware sets.

- Content-Security-Policy (django-csp): settings.CONTENT_SECURITY_POLICY for the public
  site. The Wagtail admin (and its previews) need inline scripts and styles, so under
  ADMIN_PREFIX the policy gains exactly those allowances and may be framed by the admin
  itself (live preview); everything else stays as strict.
- Permissions-Policy: settings.PERMISSIONS_POLICY on every response.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

ADMIN_PREFIX = "/admin/"
ADMIN_ALLOWANCES = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "media-src": ["'self'", "blob:"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX):
            parts.replace = {**(parts.replace or {}), **ADMIN_ALLOWANCES}
        return parts


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
