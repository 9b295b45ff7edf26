from rest_framework import serializers

from .models import NPU


class NPUSerializer(serializers.ModelSerializer):
    class Meta:
        model = NPU
        fields = ["code", "name"]
