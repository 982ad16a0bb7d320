from ninja.security import HttpBearer

from retorno.accounts.models import ApiToken


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        api_token = ApiToken.find(token)
        if api_token is None or not api_token.user.is_active:
            return None
        request.user = api_token.user
        return api_token.user
