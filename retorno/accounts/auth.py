from ninja.security import HttpBearer

from retorno.accounts.models import ApiToken


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        user = ApiToken.user_for(token)
        if user is None:
            return None
        request.user = user
        return user
